"""The audit log. Services call `record` inside their transaction; nothing else writes it."""

from __future__ import annotations

from typing import Any

from django.db import models

from careerrelay.accounts.models import AuditEvent, User


def record(
    *,
    action: str,
    org: Any = None,
    actor: User | None = None,
    actor_label: str = "",
    target: models.Model | None = None,
    ip: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        org=org,
        actor=actor,
        actor_label=actor_label or (actor.email if actor else "system"),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=str(target)[:200] if target is not None else "",
        ip_address=ip,
        details=details or {},
    )
