"""Signature checks for inbound webhooks. Pure functions; every comparison is constant-time."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any


def _hex_hmac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def greenhouse_signature(secret: str, body: bytes) -> str:
    """The `Signature` header Greenhouse sends: 'sha256 ' + hex HMAC-SHA256 of the raw body."""
    return "sha256 " + _hex_hmac(secret, body)


def greenhouse_valid(*, body: bytes, header: str, secrets: Iterable[str]) -> bool:
    """True when `header` is 'sha256 <hex>' and the hex matches the body under one of `secrets`."""
    algorithm, _, given = header.strip().partition(" ")
    if algorithm.lower() != "sha256" or not given:
        return False
    given = given.strip().lower()
    matched = False
    for secret in secrets:  # no early exit: every secret costs the same
        matched |= hmac.compare_digest(_hex_hmac(secret, body), given)
    return matched


def lever_signature(secret: str, token: str, triggered_at: str) -> str:
    """Lever signs `token + triggeredAt` (both from the body) with the webhook's signature token."""
    return _hex_hmac(secret, (token + triggered_at).encode())


def lever_valid(*, payload: Any, secrets: Iterable[str]) -> bool:
    if not isinstance(payload, dict):
        return False
    token, triggered_at, given = payload.get("token"), payload.get("triggeredAt"), payload.get("signature")
    if not isinstance(token, str) or not token or not isinstance(given, str) or not given:
        return False
    if isinstance(triggered_at, bool) or not isinstance(triggered_at, int | str) or triggered_at == "":
        return False
    matched = False
    for secret in secrets:
        matched |= hmac.compare_digest(lever_signature(secret, token, str(triggered_at)), given.strip().lower())
    return matched
