from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ja" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_every_message_has_a_japanese_translation_with_the_same_placeholders() -> None:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="ja")
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        if any(set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(ids[-1])) for s in strings):
            problems.append(f"placeholders differ: {ids[0]!r}")
    assert problems == []


def test_a_fresh_checkout_without_compiled_catalogues_speaks_japanese(tmp_path: Path) -> None:
    """The console script builds missing .mo files before Django caches an empty catalogue."""
    mo = CATALOGUE.with_suffix(".mo")
    mo.unlink(missing_ok=True)
    script = "from django.utils import translation; translation.activate('ja'); print(translation.gettext('Log in'))"
    result = subprocess.run(
        [sys.executable, "-m", "careerrelay.cli", "shell", "-v", "0", "-c", script],
        env={**os.environ, "CAREERRELAY_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip() == "ログイン", result.stderr
    assert mo.exists()
