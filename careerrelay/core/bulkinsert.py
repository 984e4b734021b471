"""Insert many rows of one model fast: COPY on PostgreSQL, one executemany elsewhere.

`QuerySet.bulk_create` prepares every value through the field's generic path and, on SQLite,
sends a few dozen rows per statement; for the CSV import that was most of the time. Here each
field's conversion is chosen once (plain text, numbers and booleans go as they are; ids, dates,
JSON and the like through the field's own `get_db_prep_save`), then the rows are streamed.

Like `bulk_create`, it calls no `save()` and sends no signals; the objects must be complete
(primary keys and defaults set, as a model's constructor does).
"""

from __future__ import annotations

import contextlib
import gc
import json
import operator
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from careerrelay.core import clock

Convert = Callable[[Any], Any]
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _same(value: Any) -> Any:
    return value


def _uuid_hex(value: Any) -> Any:
    if value is None:
        return None
    return (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).hex


def _remembered(convert: Convert) -> Convert:
    """`convert`, answering again from memory for a value it has seen (a batch's rows share their
    timestamps). Only for conversions that depend on the value alone: equal datetimes are the same
    instant, and SQLite's adaptation stores the instant."""
    seen: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = convert(value)
            return result

    return remembered


_JSON_TEXTS: dict[tuple[str, ...], str] = {}
_JSON_TEXTS_KEPT = 10_000


def _json_text(value: Any) -> Any:
    """JSON text of `value`; a list of strings is encoded once per distinct list (skills, places,
    title tokens repeat across a pool: `json.dumps` was a tenth of a bulk import's time)."""
    if value is None:
        return None
    if type(value) is list and all(type(item) is str for item in value):
        key = tuple(value)
        text = _JSON_TEXTS.get(key)
        if text is None:
            if len(_JSON_TEXTS) >= _JSON_TEXTS_KEPT:
                _JSON_TEXTS.clear()
            text = _JSON_TEXTS[key] = json.dumps(value)
        return text
    return json.dumps(value)


def _converter(field: models.Field[Any, Any], db: BaseDatabaseWrapper) -> Convert:
    """How a value of `field` goes to the database, chosen once per field."""
    if field.is_relation:
        return _converter(field.target_field, db)  # type: ignore[attr-defined]
    native = db.vendor == "postgresql"
    if isinstance(field, models.UUIDField):
        return _same if db.features.has_native_uuid_field else _uuid_hex
    if isinstance(field, models.DateTimeField):
        return _same if native else _remembered(db.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _same if native else db.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):  # as text: COPY and SQLite take JSON as its text
        encoder = field.encoder
        if encoder is None:
            return _json_text
        return lambda value: None if value is None else json.dumps(value, cls=encoder)
    if isinstance(field, _AS_IS) and not isinstance(field, models.GenericIPAddressField | models.DecimalField):
        return _same
    return lambda value: field.get_db_prep_save(value, db)


def _converted(rows: Iterable[Sequence[Any]], changing: list[tuple[int, Convert]]) -> Iterator[list[Any]]:
    """The rows with the values that need it converted (the others are passed as they are)."""
    for row in rows:
        values = list(row)
        for i, convert in changing:
            values[i] = convert(values[i])
        yield values


def insert_many(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert `objects` (all of `model`). A row breaking a constraint fails the whole call, as
    `bulk_create` does; the caller's transaction decides what is kept."""
    if not objects:
        return
    names = [field.attname for field in model._meta.concrete_fields]
    values_of = operator.attrgetter(*names)
    insert_rows(model, names, (values_of(obj) for obj in objects))


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert plain rows of `model`: each a sequence of values in the order of `names` (attnames,
    e.g. `candidate_id`), complete (ids and timestamps included), nothing built per row but the
    row itself. Same failure rules as `insert_many`."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: `connection` is a slower proxy
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    converters = [_converter(field, db) for field in fields]
    changing = [(i, convert) for i, convert in enumerate(converters) if convert is not _same]
    converted = _converted(rows, changing) if changing else rows
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with db.cursor() as cursor, db.wrap_database_errors:  # psycopg's errors as Django's, as for any query
        if db.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
                for row in converted:
                    stream.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 — names from the model
        cursor.executemany(sql, list(converted))


class NewObjects:
    """Model instances for rows a batch is about to insert, made the way a query's results are
    (every concrete field in order, stored as `Model(*values)` stores them) rather than with
    `Model(**kwargs)`, which looks up each missing field's default and goes through the
    related-object descriptors: for the CSV import that was the largest cost. Ids come from
    `new_id`; a default of the one clock (`created_at`, `updated_at`, ...) is `now`, the batch's
    one reading of it; list and dict defaults are made fresh for each object; other defaults are
    computed once."""

    def __init__(self, model: type[models.Model], *, now: Any, new_id: Callable[[], Any]) -> None:
        self.model = model
        self._fields: list[tuple[str, Callable[[], Any] | None, Any]] = []
        for field in model._meta.concrete_fields:
            factory: Callable[[], Any] | None = None
            constant: Any = None
            if field.primary_key:
                factory = new_id
            elif field.has_default() and callable(field.default):
                if field.default is clock.now:
                    constant = now
                else:
                    factory = field.default  # list, dict, ...: a fresh one for each object
            else:
                constant = field.get_default()
            self._fields.append((field.attname, factory, constant))
        self._related = {
            field.name: field for field in model._meta.concrete_fields if field.is_relation and field.many_to_one
        }
        self._names = [attname for attname, _factory, _constant in self._fields]
        self._known = frozenset(self._names)
        # What every new object starts with: the constants, then a fresh value from each factory.
        self._constants = {attname: constant for attname, factory, constant in self._fields if factory is None}
        self._factories = [(attname, factory) for attname, factory, _constant in self._fields if factory is not None]
        # Filled in directly, as `Model.__init__` would set each attribute (through the foreign
        # keys' id descriptors, which on a new object only store the value), unless something
        # listens to the model's init signals.
        self._direct = not (pre_init.has_listeners(model) or post_init.has_listeners(model))

    def __call__(self, related: Mapping[str, models.Model] | None = None, **values: Any) -> Any:
        """A new instance with `values` (by attname) and `related` objects (by field name: sets the
        id and caches the object, as assigning it would)."""
        if related:
            for name, obj in related.items():
                values[self._related[name].attname] = obj.pk
        if not self._known.issuperset(values):
            raise TypeError(f"{self.model.__name__} has no fields {sorted(set(values) - self._known)}")
        state = dict(self._constants)
        for attname, factory in self._factories:
            if attname not in values:
                state[attname] = factory()
        state.update(values)
        if self._direct:
            obj = self.model.__new__(self.model)
            obj.__dict__.update(state)
            obj._state = ModelState()
        else:
            obj = self.model(*(state[name] for name in self._names))
        if related:
            for name, other in related.items():
                self._related[name].set_cached_value(obj, other)  # type: ignore[attr-defined]
        return obj


def refresh_statistics(tables: Mapping[type[models.Model], list[str]]) -> None:
    """Let PostgreSQL's planner see the rows this transaction has added (ANALYZE counts them).

    A bulk load that also reads what it wrote (the import's identity look-ups) otherwise keeps
    the plans made for the tables' old sizes: a scan of every row of the org for each look-up.
    Only the named columns are sampled, lightly; call it at doubling row counts, so a load pays
    for it a logarithmic number of times."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        return
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute("SET LOCAL default_statistics_target = 10")
        for model, names in tables.items():
            columns = ", ".join(quote(str(model._meta.get_field(name).column)) for name in names)  # type: ignore[union-attr]
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)} ({columns})")
        cursor.execute("RESET default_statistics_target")


def prefer_index_lookups() -> None:
    """For the rest of this transaction, tell PostgreSQL that reading an index is nearly as cheap
    as reading the table in order (true once the data is cached or on SSD). With the default, a
    look-up of a chunk's 2,000 keys in a table of 100,000 rows was planned as a scan of every row,
    so each chunk cost more than the one before."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 1.1")


class BackgroundChecks:
    """Run PostgreSQL's deferred foreign-key checks in the background while this thread works.

    Django declares foreign keys `DEFERRABLE INITIALLY DEFERRED`, so a bulk load's checks (a
    look-up in the referenced table for every row and key) all ran at the commit, after the last
    row, with nothing left to overlap them with: about a sixth of the CSV import's time.
    `start()` fires the checks queued so far (`SET CONSTRAINTS ALL IMMEDIATE`, then back to
    `DEFERRED`: every deferrable constraint here is such a key) from a helper thread on the same
    connection and returns at once; PostgreSQL works through them while this thread goes on with
    work that needs no database (psycopg releases the GIL while it waits, and its connection lock
    makes a query of this thread wait for the statement to end). `wait()` joins it and raises its
    error, if any, as any query would. A failed check fails the transaction as at the commit.
    No-op on other databases."""

    _SQL = "SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED"

    def __init__(self) -> None:
        self._db = connections[DEFAULT_DB_ALIAS]
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        if self._db.vendor != "postgresql":
            return
        self.wait()
        self._db.ensure_connection()
        raw = self._db.connection
        self._thread = threading.Thread(target=self._run, args=(raw,), name="deferred-checks", daemon=True)
        self._thread.start()

    def _run(self, raw: Any) -> None:
        try:
            with raw.cursor() as cursor:
                cursor.execute(self._SQL)
        except BaseException as exc:  # noqa: BLE001 — handed to the waiting thread
            self._error = exc

    def wait(self) -> None:
        if self._thread is None:
            return
        self._thread.join()
        self._thread = None
        error, self._error = self._error, None
        if error is not None:
            with self._db.wrap_database_errors:  # psycopg's error as Django's, as for any query
                raise error


# Allocations between two collections of the youngest generation during a bulk load (CPython's
# default is 700). CPython counts allocations minus deallocations of tracked objects, so a chunk
# whose objects are all freed at its end leaves the count where it was: a threshold above what one
# chunk of the CSV import holds at once (a 2,000-row chunk allocates about 100,000) means a young
# collection comes only when objects really accumulate (cycles waiting to be freed), every
# 200,000 of them, which also bounds what they can hold. At 50,000 the collector still ran twice
# a chunk and walked the chunk's live objects each time: 2.1–2.5 s of 28 s CPU at 100,000 rows,
# against 0.25 s now (benchmarks/README.md, 2026-11-26 16:19 UTC).
BULK_GC_THRESHOLD = 200_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often for the duration of a bulk load.

    A load holds thousands of freshly made objects at once (a chunk's rows, instances, tuples to
    COPY), all of which survive the youngest generation: with the default threshold the collector
    walked them again every 700 allocations, about a fifth of the CSV import's CPU time. Reference
    counting still frees everything at once; only cycles wait a little longer. The process's
    previous thresholds come back afterwards (they are process-wide)."""
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], BULK_GC_THRESHOLD), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
