"""Turn EMAIL_URL into Django's EMAIL_* settings.

smtp://user:pass@host:587 (STARTTLS with ?tls=1), smtps://host:465 (implicit TLS),
console://, locmem://, file:///path/to/dir. SMTP goes through Django's SMTP backend with
one short cut for prebuilt mail (core.smtp_backend). Kept free of Django imports: settings.py uses it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}


def email_settings_from_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in {"smtp", "smtps", "submission"}:
        implicit_tls = scheme == "smtps" or query.get("ssl", "").lower() in _TRUE
        default_port = {"smtp": 25, "smtps": 465, "submission": 587}[scheme]
        return {
            "EMAIL_BACKEND": "careerrelay.core.smtp_backend.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or default_port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": implicit_tls,
            "EMAIL_USE_TLS": not implicit_tls and (scheme == "submission" or query.get("tls", "").lower() in _TRUE),
        }
    raise ValueError(f"EMAIL_URL has an unsupported scheme: {scheme!r}")
