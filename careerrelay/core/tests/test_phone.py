"""The fast path for well-formed Japanese mobile numbers answers exactly as phonenumbers does."""

from __future__ import annotations

import random

import pytest

from careerrelay.core import phone


def _slow(text: str) -> str:
    """What to_e164 answered before the fast path: phonenumbers alone ("error" when invalid)."""
    try:
        return phone._parsed_e164(text, text, "JP")
    except ValueError:
        return "error"


def _fast(text: str) -> str:
    try:
        return phone.to_e164(text)
    except ValueError:
        return "error"


def _shapes(digits: str) -> list[str]:
    return [digits, f"{digits[:3]}-{digits[3:7]}-{digits[7:]}", f"{digits[:3]}{digits[3:7]}-{digits[7:]}"]


def test_every_prefix_gives_what_phonenumbers_gives() -> None:
    rng = random.Random(20261126)
    checked = fast = 0
    for prefix in range(1000):  # 0AB-C…: every area/mobile prefix and first subscriber digit
        for _ in range(8):
            digits = f"0{prefix:03d}" + "".join(rng.choice("0123456789") for _ in range(7))
            for text in _shapes(digits):
                assert _fast(text) == _slow(text), text
                checked += 1
                fast += phone._jp_mobile(text) is not None
    assert checked == 24_000
    assert fast == 4 * 9 * 8 * 3  # the fast path answered for 060/070/080/090 + a digit 1-9, every shape


def test_random_numbers_of_every_length_give_what_phonenumbers_gives() -> None:
    rng = random.Random(7)
    for _ in range(20_000):
        digits = "0" + "".join(rng.choice("0123456789") for _ in range(rng.randint(8, 12)))
        assert _fast(digits) == _slow(digits), digits


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("090-1234-5678", "+819012345678"),
        ("０９０－１２３４－５６７８", "+819012345678"),
        ("07011112222", "+817011112222"),
        ("+81 90 1234 5678", "+819012345678"),
        ("03-1234-5678", "+81312345678"),
        ("", ""),
    ],
)
def test_common_forms(raw: str, expected: str) -> None:
    assert phone.to_e164(raw) == expected


@pytest.mark.parametrize("raw", ["090-0123-4567", "0901234567", "٠٩٠١٢٣٤٥٦٧٨", "090-1234-56789"])
def test_what_is_not_a_mobile_number_is_left_to_phonenumbers(raw: str) -> None:
    assert phone._jp_mobile(phone.normalize(raw)) is None
    assert _fast(raw) == _slow(phone.normalize(raw))
