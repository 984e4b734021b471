"""Phone numbers stored as E.164 (+819012345678), read with Japan as the default region."""

from __future__ import annotations

import phonenumbers

from careerrelay.core.text import normalize


def to_e164(raw: str, *, region: str = "JP") -> str:
    """'090-1234-5678', '０９０１２３４５６７８', '+81 90 1234 5678' → '+819012345678'.

    Empty input gives ''. Anything that is not a possible number raises ValueError.
    """
    text = normalize(raw)
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
