"""Tenancy probes for consent and outreach: the candidate's consent record, message templates,
privacy texts and the outbox."""

from __future__ import annotations

from typing import Any

from careerrelay.candidates.tests.tenancy import ensure_pool
from careerrelay.consent.models import ConsentEvent, PolicyVersion
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.outreach.compose import Rendered, queue_message
from careerrelay.outreach.models import MessageKind, MessageTemplate, RescoutRule, RescoutSchedule, ScheduledMessage
from tests.tenancy import AppProbes

SECRET_SUBJECT = "秘密の件名"


def ensure_message(world: OrgWorld) -> ScheduledMessage:
    candidate = ensure_pool(world).candidate
    return queue_message(
        candidate=candidate,
        kind=MessageKind.REJECTION,
        key=f"probe:{world.org.slug}",
        rendered=Rendered(subject=f"{SECRET_SUBJECT} {world.org.slug}", body="…"),
        language="ja",
    )


def _foreign_ids(other: OrgWorld) -> dict[str, str]:
    ensure_message(other)
    return {
        "template_id": str(MessageTemplate.objects.filter(org=other.org).first().pk),  # type: ignore[union-attr]
        "rule_id": str(RescoutRule.objects.filter(org=other.org).first().pk),  # type: ignore[union-attr]
    }


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    ensure_message(world)
    return {
        "consent_events": ConsentEvent.objects.filter(org=world.org).count(),
        "messages": sorted(ScheduledMessage.objects.filter(org=world.org).values_list("id", "status")),
        "templates": sorted(MessageTemplate.objects.filter(org=world.org).values_list("id", "subject", "body")),
        "policies": sorted(PolicyVersion.objects.filter(org=world.org).values_list("id", "number", "notice")),
        "rules": sorted(RescoutRule.objects.filter(org=world.org).values_list("id", "name", "step_months")),
        "schedule": RescoutSchedule.objects.filter(org=world.org).count(),
    }


def _secrets(other: OrgWorld) -> list[str]:
    ensure_message(other)
    return [f"{SECRET_SUBJECT} {other.org.slug}"]


PROBES = AppProbes(
    web_object={
        "web:candidate_consent": (
            "post",
            "/candidates/{candidate_id}/consents/",
            {"purpose": "recontact", "granted": "1", "evidence": "probe"},
        ),
        "web:message_template": ("post", "/settings/messages/{template_id}/", {"subject": "x", "body": "{portal_url}"}),
        "web:message_template_preview": ("post", "/settings/messages/{template_id}/preview/", {"subject": "x"}),
        "web:rescout_rule": ("post", "/settings/rescout/{rule_id}/", {"name": "x", "step_months": "1"}),
    },
    web_collections={
        "web:outbox": "/outbox/",
        "web:message_templates": "/settings/messages/",
        "web:privacy_policy": "/settings/privacy-policy/",
        "web:rescout": "/settings/rescout/",
        "web:suppressions": "/suppressions/",
    },
    web_other={
        "web:message_template_new": "reason id in the body; test_a_template_for_another_orgs_reason_is_refused",
        "web:rescout_rule_new": "creates a rule in the actor's own org; no id to probe",
        "web:outreach_settings": "the actor's own org's settings; no id to probe",
    },
    api_object={
        "GET /api/v1/candidates/{candidate_id}/consents": None,
        "POST /api/v1/candidates/{candidate_id}/consents": {"purpose": "recontact", "granted": True, "evidence": "x"},
    },
    api_collections={"GET /api/v1/messages"},
    foreign_ids=_foreign_ids,
    snapshot=_snapshot,
    secrets=_secrets,
)
