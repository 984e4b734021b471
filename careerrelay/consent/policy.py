"""Policy texts: the current version, and the exact text a person is shown for a purpose."""

from __future__ import annotations

import hashlib

from careerrelay.consent import defaults
from careerrelay.consent.models import PolicyVersion
from careerrelay.consent.purposes import statement_key
from careerrelay.core.errors import NotFound
from careerrelay.orgs.models import Organization

LANGUAGES = ("ja", "en")


def install_default_policy(org: Organization) -> None:
    if not PolicyVersion.objects.filter(org=org).exists():
        PolicyVersion.objects.create(
            org=org, number=1, notice=defaults.NOTICE, statements=defaults.STATEMENTS, published_by="system"
        )


def current_policy(*, org: Organization) -> PolicyVersion:
    policy = PolicyVersion.objects.filter(org=org).order_by("-number").first()
    if policy is None:
        raise NotFound()
    return policy


def _language(language: str) -> str:
    return language if language in LANGUAGES else "ja"


def org_display_name(org: Organization, language: str) -> str:
    return org.name_en if language == "en" and org.name_en else org.name


def _fill(template: str, **values: str) -> str:
    # Plain replacement, not str.format: an admin's text may contain braces of its own.
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def notice_text(policy: PolicyVersion, language: str) -> str:
    language = _language(language)
    return _fill(policy.notice.get(language, ""), org=org_display_name(policy.org, language))


def statement_text(policy: PolicyVersion, purpose: str, language: str, *, company: str = "") -> str:
    language = _language(language)
    template = policy.statements.get(statement_key(purpose), {}).get(language, "")
    return _fill(template, org=org_display_name(policy.org, language), company=company)


def shown_text(policy: PolicyVersion, purpose: str, language: str, *, company: str = "") -> str:
    """The notice and the purpose's statement exactly as the portal shows them together."""
    return notice_text(policy, language) + "\n\n" + statement_text(policy, purpose, language, company=company)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
