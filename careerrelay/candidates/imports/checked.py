"""The rows the checking pass accepted, kept on disk for the writing pass, so that no row is read
and parsed twice and memory stays flat whatever the file's size."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime

from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.imports.rows import ApplicationFields, ParsedRow
from careerrelay.candidates.models import Application, RejectionReason
from careerrelay.core.clock import JST

# Kept as plain tuples of the dataclasses' values, in field order: pickling the dataclasses
# themselves cost as much as parsing the rows. The status is kept as its value and the applied
# time (always Japan time, see rows.py) as a POSIX timestamp: pickling the enum member and the
# zoned datetime (a call of the enum class and of ZoneInfo for each row read back) cost more
# than all the rest of the row.
_DATA_FIELDS = [f.name for f in fields(CandidateData)]
_APP_FIELDS = [f.name for f in fields(ApplicationFields) if f.name != "reason"]
_STATUS, _APPLIED = _APP_FIELDS.index("status"), _APP_FIELDS.index("applied_at")
_STATUSES = {str(status.value): status for status in Application.Status}


class CheckedRows:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 — closed by close()

    def add(self, number: int, row: ParsedRow) -> None:
        """Keep `row` (file row `number`); its rejection reason is kept by id."""
        app = row.application
        data = row.data
        values = [getattr(data, name) for name in _DATA_FIELDS]
        app_values = None
        if app is not None:
            app_values = [getattr(app, name) for name in _APP_FIELDS]
            app_values[_STATUS] = str(app.status)
            app_values[_APPLIED] = None if app.applied_at is None else app.applied_at.timestamp()
        reason_id = str(app.reason.pk) if app is not None and app.reason is not None else None  # a str unpickles fast
        # One pickle a row, read back one at a time: a shared pickler would keep every row in its memo.
        record = (number, values, row.candidate_id, row.source, app_values, reason_id)
        pickle.dump(record, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def rows(self, reasons: list[RejectionReason]) -> Iterator[tuple[int, ParsedRow]]:
        """The rows in file order, with their reasons from `reasons`."""
        by_id: dict[str, RejectionReason] = {str(reason.pk): reason for reason in reasons}
        times: dict[float, datetime] = {}  # applied dates repeat: one datetime for each
        self._file.flush()
        self._file.seek(0)
        while True:
            try:
                number, values, candidate_id, source, app_values, reason_id = pickle.load(self._file)  # noqa: S301 — this process's own file
            except EOFError:
                return
            application = None
            if app_values is not None:
                app_values[_STATUS] = _STATUSES[app_values[_STATUS]]
                if (stamp := app_values[_APPLIED]) is not None:
                    if stamp not in times:
                        times[stamp] = datetime.fromtimestamp(stamp, JST)
                    app_values[_APPLIED] = times[stamp]
                application = ApplicationFields(
                    **dict(zip(_APP_FIELDS, app_values, strict=True)),
                    reason=by_id[reason_id] if reason_id is not None else None,
                )
            data = CandidateData(*values)  # positional: the values are in field order
            yield number, ParsedRow(data=data, candidate_id=candidate_id, source=source, application=application)

    def close(self) -> None:
        self._file.close()
