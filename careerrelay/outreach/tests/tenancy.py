"""Tenancy probes for consent and outreach: the candidate's consent record, message templates,
privacy texts and the outbox."""

from __future__ import annotations

from typing import Any

from careerrelay.candidates.tests.tenancy import ensure_pool
from careerrelay.consent.models import ConsentEvent, PolicyVersion
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.outreach.compose import Rendered, queue_message
from careerrelay.outreach.models import (
    MessageKind,
    MessageTemplate,
    Newsletter,
    RescoutRule,
    RescoutSchedule,
    ScheduledMessage,
)
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


def ensure_newsletter(world: OrgWorld) -> Newsletter:
    newsletter, _created = Newsletter.objects.get_or_create(
        org=world.org,
        subject_ja=f"{SECRET_SUBJECT} {world.org.slug} ニュース",
        defaults={"body_ja": "…", "subject_en": "News", "body_en": "…"},
    )
    return newsletter


def _foreign_ids(other: OrgWorld) -> dict[str, str]:
    ensure_message(other)
    return {
        "newsletter_id": str(ensure_newsletter(other).pk),
        "template_id": str(MessageTemplate.objects.filter(org=other.org).first().pk),  # type: ignore[union-attr]
        "rule_id": str(RescoutRule.objects.filter(org=other.org).first().pk),  # type: ignore[union-attr]
    }


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    ensure_message(world)
    ensure_newsletter(world)
    return {
        "consent_events": ConsentEvent.objects.filter(org=world.org).count(),
        "messages": sorted(ScheduledMessage.objects.filter(org=world.org).values_list("id", "status")),
        "templates": sorted(MessageTemplate.objects.filter(org=world.org).values_list("id", "subject", "body")),
        "policies": sorted(PolicyVersion.objects.filter(org=world.org).values_list("id", "number", "notice")),
        "rules": sorted(RescoutRule.objects.filter(org=world.org).values_list("id", "name", "step_months")),
        "schedule": RescoutSchedule.objects.filter(org=world.org).count(),
        "newsletters": sorted(
            Newsletter.objects.filter(org=world.org).values_list("id", "status", "subject_ja", "send_at")
        ),
    }


def _secrets(other: OrgWorld) -> list[str]:
    ensure_message(other)
    return [f"{SECRET_SUBJECT} {other.org.slug}", ensure_newsletter(other).subject_ja]


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
        "web:newsletter": (
            "post",
            "/newsletters/{newsletter_id}/",
            {"subject_ja": "x", "body_ja": "x", "subject_en": "x", "body_en": "x"},
        ),
        "web:newsletter_schedule": ("post", "/newsletters/{newsletter_id}/schedule/", {"send_at": ""}),
        "web:newsletter_cancel": ("post", "/newsletters/{newsletter_id}/cancel/", {}),
    },
    web_collections={
        "web:outbox": "/outbox/",
        "web:message_templates": "/settings/messages/",
        "web:privacy_policy": "/settings/privacy-policy/",
        "web:rescout": "/settings/rescout/",
        "web:suppressions": "/suppressions/",
        "web:newsletters": "/newsletters/",
    },
    web_other={
        "web:message_template_new": "reason id in the body; test_a_template_for_another_orgs_reason_is_refused",
        "web:rescout_rule_new": "creates a rule in the actor's own org; no id to probe",
        "web:outreach_settings": "the actor's own org's settings; no id to probe",
        "web:newsletter_new": "creates a draft in the actor's own org; no id to probe",
        "web:newsletter_preview": "renders the posted draft and counts the actor's own org; no id to probe",
        "mail_postmark_tracking": (
            "the mail provider's webhook (basic auth, no org session); test_provider_webhooks.py: a wrong secret"
            " changes nothing, an event touches only the org whose message it names"
        ),
    },
    api_object={
        "GET /api/v1/candidates/{candidate_id}/consents": None,
        "POST /api/v1/candidates/{candidate_id}/consents": {"purpose": "recontact", "granted": True, "evidence": "x"},
        "GET /api/v1/newsletters/{newsletter_id}": None,
        "POST /api/v1/newsletters/{newsletter_id}/schedule": {"send_at": None},
        "POST /api/v1/newsletters/{newsletter_id}/cancel": {},
    },
    api_collections={"GET /api/v1/messages", "GET /api/v1/newsletters"},
    api_other={"POST /api/v1/newsletters": "creates a draft in the caller's own org; no id to probe"},
    foreign_ids=_foreign_ids,
    snapshot=_snapshot,
    secrets=_secrets,
)
