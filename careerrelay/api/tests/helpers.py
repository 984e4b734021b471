from __future__ import annotations

import json
from typing import Any

from django.test import Client


def call(client: Client, method: str, path: str, key: str | None, body: Any = None, **headers: str) -> Any:
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    if key is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    kwargs: dict[str, Any] = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method.lower())(path, **kwargs, **extra)
