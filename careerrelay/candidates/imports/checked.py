"""The rows the checking pass accepted, kept on disk for the writing pass, so that no row is read
and parsed twice and memory stays flat whatever the file's size."""

from __future__ import annotations

import pickle
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import replace

from careerrelay.candidates.imports.rows import ParsedRow
from careerrelay.candidates.models import RejectionReason


class CheckedRows:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 — closed by close()

    def add(self, number: int, row: ParsedRow) -> None:
        """Keep `row` (file row `number`); its rejection reason is kept by id."""
        app = row.application
        reason_id = app.reason.pk if app is not None and app.reason is not None else None
        if app is not None and reason_id is not None:
            row = replace(row, application=replace(app, reason=None))
        # One pickle a row, read back one at a time: a shared pickler would keep every row in its memo.
        pickle.dump((number, row, reason_id), self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def rows(self, reasons: list[RejectionReason]) -> Iterator[tuple[int, ParsedRow]]:
        """The rows in file order, with their reasons from `reasons`."""
        by_id: dict[uuid.UUID, RejectionReason] = {reason.pk: reason for reason in reasons}
        self._file.flush()
        self._file.seek(0)
        while True:
            try:
                number, row, reason_id = pickle.load(self._file)  # noqa: S301 — this process's own file
            except EOFError:
                return
            if reason_id is not None:
                row.application.reason = by_id[reason_id]
            yield number, row

    def close(self) -> None:
        self._file.close()
