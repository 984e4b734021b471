"""Reads for users. Users are not tenant rows: an account may belong to several orgs."""

from __future__ import annotations

from careerrelay.accounts.models import User
from careerrelay.core.text import normalize_email


def user_by_email(email: str) -> User | None:
    """The account for an address as people type it (case, full-width characters, spaces)."""
    return User.objects.filter(email=normalize_email(email)).first()
