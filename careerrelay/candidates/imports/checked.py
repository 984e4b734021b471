"""The rows the checking pass accepted, kept on disk for the writing pass, so that no row is read
and parsed twice and memory stays flat whatever the file's size."""

from __future__ import annotations

import pickle
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import fields

from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.imports.rows import ApplicationFields, ParsedRow
from careerrelay.candidates.models import RejectionReason

# Kept as plain tuples of the dataclasses' values, in field order: pickling the dataclasses
# themselves cost as much as parsing the rows.
_DATA_FIELDS = [f.name for f in fields(CandidateData)]
_APP_FIELDS = [f.name for f in fields(ApplicationFields) if f.name != "reason"]


class CheckedRows:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 — closed by close()

    def add(self, number: int, row: ParsedRow) -> None:
        """Keep `row` (file row `number`); its rejection reason is kept by id."""
        app = row.application
        data = row.data
        values = [getattr(data, name) for name in _DATA_FIELDS]
        app_values = None if app is None else [getattr(app, name) for name in _APP_FIELDS]
        reason_id = app.reason.pk if app is not None and app.reason is not None else None
        # One pickle a row, read back one at a time: a shared pickler would keep every row in its memo.
        record = (number, values, row.candidate_id, row.source, app_values, reason_id)
        pickle.dump(record, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def rows(self, reasons: list[RejectionReason]) -> Iterator[tuple[int, ParsedRow]]:
        """The rows in file order, with their reasons from `reasons`."""
        by_id: dict[uuid.UUID, RejectionReason] = {reason.pk: reason for reason in reasons}
        self._file.flush()
        self._file.seek(0)
        while True:
            try:
                number, values, candidate_id, source, app_values, reason_id = pickle.load(self._file)  # noqa: S301 — this process's own file
            except EOFError:
                return
            application = None
            if app_values is not None:
                application = ApplicationFields(
                    **dict(zip(_APP_FIELDS, app_values, strict=True)),
                    reason=by_id[reason_id] if reason_id is not None else None,
                )
            data = CandidateData(*values)  # positional: the values are in field order
            yield number, ParsedRow(data=data, candidate_id=candidate_id, source=source, application=application)

    def close(self) -> None:
        self._file.close()
