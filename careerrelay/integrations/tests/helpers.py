from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.test import Client

from careerrelay.integrations.signatures import greenhouse_signature, lever_signature

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture(name: str) -> Any:
    return json.loads(fixture_bytes(name))


def post_greenhouse(
    client: Client, slug: str, body: bytes, *, secret: str | None, event_id: str = "evt-1", signature: str | None = None
) -> Any:
    headers: dict[str, str] = {"HTTP_GREENHOUSE_EVENT_ID": event_id}
    if signature is not None:
        headers["HTTP_SIGNATURE"] = signature
    elif secret is not None:
        headers["HTTP_SIGNATURE"] = greenhouse_signature(secret, body)
    return client.post(f"/hooks/greenhouse/{slug}", data=body, content_type="application/json", **headers)


def lever_body(
    secret: str,
    event: str,
    data: dict[str, Any],
    *,
    token: str = "tok-1",  # noqa: S107
    at: int = 1700000000000,
) -> bytes:
    body = {"triggeredAt": at, "event": event, "token": token, "data": data}
    body["signature"] = lever_signature(secret, token, str(at))
    return json.dumps(body).encode()


def post_lever(client: Client, slug: str, body: bytes) -> Any:
    return client.post(f"/hooks/lever/{slug}", data=body, content_type="application/json")
