"""Phone numbers stored as E.164 (+819012345678), read with Japan as the default region."""

from __future__ import annotations

import re

import phonenumbers

from careerrelay.core.text import normalize


# The common case, a Japanese mobile number written 090-1234-5678 or 09012345678, answered from
# phonenumbers' own metadata without its general parser (most of a CSV import's checking time):
# such a number is valid exactly when its national part matches the region's mobile pattern (and
# the general one), and its E.164 form is +81 and that part. Anything else goes to phonenumbers.
# test_phone.py checks both paths agree on every prefix and many numbers.
def _pattern(kind: str) -> re.Pattern[str] | None:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("JP")
    desc = getattr(metadata, kind, None)
    pattern = getattr(desc, "national_number_pattern", None)
    return re.compile(pattern) if pattern else None


_JP_MOBILE = _pattern("mobile")
_JP_GENERAL = _pattern("general_desc")
_WELL_FORMED = re.compile(r"0([0-9]{2})-?([0-9]{4})-?([0-9]{4})")


def _jp_mobile(text: str) -> str | None:
    found = _WELL_FORMED.fullmatch(text)
    if found is None or _JP_MOBILE is None or _JP_GENERAL is None:
        return None
    national = "".join(found.groups())
    if _JP_MOBILE.fullmatch(national) and _JP_GENERAL.fullmatch(national):
        return f"+81{national}"
    return None


def to_e164(raw: str, *, region: str = "JP") -> str:
    """'090-1234-5678', '０９０１２３４５６７８', '+81 90 1234 5678' → '+819012345678'.

    Empty input gives ''. Anything that is not a possible number raises ValueError.
    """
    text = normalize(raw)
    if not text:
        return ""
    if region == "JP" and (fast := _jp_mobile(text)) is not None:
        return fast
    return _parsed_e164(text, raw, region)


def _parsed_e164(text: str, raw: str, region: str) -> str:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
