"""Which encoding a CSV file is in: UTF-8 (with or without BOM) or Shift_JIS/CP932, nothing else.

The whole file is decoded once, in chunks, before any row is read: a CP932 file whose first
megabyte happens to be ASCII is still recognised, and memory stays flat.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from careerrelay.core.errors import DomainValidationError

CHUNK = 1 << 20
SUPPORTED = ("utf-8-sig", "cp932")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with path.open("rb") as raw:
        try:
            while chunk := raw.read(CHUNK):
                if b"\x00" in chunk:
                    return False  # UTF-16/32 or binary: never a text CSV we accept
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' (also plain UTF-8) or 'cp932'; anything else raises DomainValidationError."""
    with path.open("rb") as raw:
        head = raw.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DomainValidationError(
            _("This file is UTF-16. Save it as CSV UTF-8 or as Shift_JIS (CP932) and try again."), field="file"
        )
    for encoding in SUPPORTED:
        if _decodes(path, encoding):
            return encoding
    raise DomainValidationError(
        _("The file's encoding is not supported. Save it as CSV UTF-8 or as Shift_JIS (CP932) and try again."),
        field="file",
    )


@contextmanager
def open_text(path: Path, encoding: str) -> Iterator[IO[str]]:
    """The file as text for the csv module: newline="" keeps quoted line breaks and CRLF intact."""
    with path.open(encoding=encoding, newline="") as handle:
        yield handle
