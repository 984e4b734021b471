"""Introductions: a member asks to meet the person behind a profile; the person answers in the
portal; only a yes discloses who they are, with the records APPI Art. 29 and 30 require."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from careerrelay.accounts.services import public_url
from careerrelay.candidates.application_status import application_hire, application_unhire
from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.models import Candidate, JobRequisition
from careerrelay.candidates.services import application_record
from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows
from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.policy import org_display_name
from careerrelay.consent.services import Evidence, consent_grant
from careerrelay.consent.tokens import portal_token
from careerrelay.core import clock
from careerrelay.core.clock import JST
from careerrelay.core.dates import add_months
from careerrelay.core.errors import Conflict, DomainValidationError, NotFound
from careerrelay.core.selectors import get_for_org
from careerrelay.core.text import normalize
from careerrelay.orgs.actors import Actor, system_actor
from careerrelay.orgs.models import Organization, Role
from careerrelay.outreach.compose import context_for, language_of, queue_message, render, template_for
from careerrelay.outreach.models import MessageKind
from careerrelay.relay import credits
from careerrelay.relay.models import (
    Introduction,
    NetworkMember,
    Placement,
    ProvisionRecord,
    ReceiptRecord,
    SharedProfile,
)
from careerrelay.relay.networks import notify
from careerrelay.relay.selectors import introduction_of_requester, partner_profile

# What a yes gives the requester: enough to contact and assess, nothing more.
DISCLOSED_ITEMS = [
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "email",
    "phone",
    "prefecture",
    "current_title",
    "years_experience",
    "skills",
    "desired_roles",
    "desired_locations",
    "available_from",
]
RECORD_YEARS = 3


def _requester_label(introduction: Introduction, language: str) -> str:
    name = org_display_name(introduction.org, language)
    if introduction.client_company:
        return _("%(agency)s, for %(client)s") % {"agency": name, "client": introduction.client_company}
    return name


def _queue_request_email(introduction: Introduction, candidate: Candidate) -> None:
    language = language_of(candidate)
    network = introduction.network
    with override(language):
        requester = _requester_label(introduction, language)
        licence = network.org.placement_licence_number if network.japan_mode else ""
        licence_line = (
            _("Introduced through %(operator)s (paid-placement licence %(number)s).")
            % {"operator": org_display_name(network.org, language), "number": licence}
            + "\n"
            if licence
            else ""
        )
    link = public_url(
        reverse("portal:introduction", kwargs={"token": portal_token(candidate), "introduction_id": introduction.pk})
    )
    context = context_for(
        candidate,
        language,
        job_title=introduction.job.title,
        expires_on=introduction.expires_at.astimezone(JST).date().isoformat(),
        requester=requester,
        licence_line=licence_line,
    )
    context["portal_url"] = link
    queue_message(
        candidate=candidate,
        kind=MessageKind.INTRODUCTION,
        key=f"introduction:{introduction.pk}",
        rendered=render(template_for(candidate.org, MessageKind.INTRODUCTION, language), context),
        language=language,
        # Sent only while the person still agrees to be in the network.
        purpose=purposes.RELAY_SHARE,
    )


def _check_request_limits(org: Organization, profile: SharedProfile, now: datetime) -> None:
    """Abuse limits (OWASP API6): every request mails a person, so a member may neither ask the
    same person again while its question is open (for another job, say) nor send more than
    CAREERRELAY_RELAY_REQUESTS_PER_DAY requests into one network in 24 hours. The member's row
    is locked so that parallel requests count one after another."""
    list(NetworkMember.objects.select_for_update().filter(network_id=profile.network_id, org=org))
    sent = Introduction.objects.filter(org=org, network_id=profile.network_id)
    if sent.filter(profile=profile, status=Introduction.Status.REQUESTED, expires_at__gt=now).exists():
        raise Conflict(_("You are already waiting for this person's answer."))
    limit = settings.CAREERRELAY_RELAY_REQUESTS_PER_DAY
    if sent.filter(requested_at__gt=now - timedelta(days=1)).count() >= limit:
        message = _("Your company has reached this network's limit of %(limit)s requests a day.")
        raise Conflict(message % {"limit": limit})


@transaction.atomic
def introduction_request(
    *, actor: Actor, profile_id: object, job_id: object, client_company: str = "", message: str = ""
) -> Introduction:
    actor.require(Role.RECRUITER)
    profile = partner_profile(org=actor.org, profile_id=profile_id)
    if profile.org_id == actor.org.pk:
        raise Conflict(_("This is a person your own company shared."))
    job = get_for_org(JobRequisition.objects.all(), org=actor.org, pk=job_id)
    if job.status != JobRequisition.Status.OPEN:
        raise DomainValidationError(_("Choose one of your open jobs."), field="job_id")
    client_company = normalize(client_company)
    if client_company and actor.org.kind != Organization.Kind.AGENCY:
        raise DomainValidationError(_("Only an agency asks on behalf of a client company."), field="client_company")
    full = type(profile).objects.select_related("candidate", "network", "network__org").get(pk=profile.pk)
    candidate = full.candidate
    if candidate is None or not consent_allows(candidate, purposes.RELAY_SHARE, at=clock.now()):
        raise NotFound()
    now = clock.now()
    _check_request_limits(actor.org, full, now)
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(
                org=actor.org,
                network=full.network,
                profile=full,
                source_org_id=full.org_id,
                job=job,
                client_company=client_company,
                message=normalize(message)[:2000],
                requested_at=now,
                expires_at=now + timedelta(days=full.network.request_expiry_days),
            )
    except IntegrityError as exc:
        raise Conflict(_("You have already asked to meet this person for this job.")) from exc
    _queue_request_email(introduction, candidate)
    notify(
        full.org,
        gettext_noop("%(org)s asked to meet a person you shared, for %(job)s."),
        "/relay/introductions/",
        org=actor.org.name,
        job=job.title,
    )
    actor.audit("relay.introduction_requested", target=introduction, details={"profile": str(full.pk)})
    return introduction


def pending_for(candidate: Candidate, introduction_id: object) -> Introduction:
    """An introduction request waiting for this person's answer (NotFound for anything else)."""
    try:
        introduction = Introduction.objects.select_related("org", "job", "network", "network__org", "profile").get(
            pk=introduction_id, profile__candidate=candidate
        )
    except (Introduction.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    return introduction


def pending_requests(candidate: Candidate) -> list[Introduction]:
    return list(
        Introduction.objects.filter(
            profile__candidate=candidate, status=Introduction.Status.REQUESTED, expires_at__gt=clock.now()
        ).select_related("org", "job")
    )


def _disclose(introduction: Introduction, candidate: Candidate, consent_event: ConsentEvent) -> None:
    recipient = system_actor(introduction.org, "career relay")
    data = CandidateData(**{name: getattr(candidate, name) for name in DISCLOSED_ITEMS})
    application = application_record(actor=recipient, data=data, source="relay", job_id=introduction.job_id)
    introduction.recipient_candidate = application.candidate
    introduction.recipient_application = application
    now = clock.now()
    keep_until = add_months(now, 12 * RECORD_YEARS)
    source = candidate.org
    with override(introduction.org.default_language or "ja"):
        how_obtained = _("With the person's consent, through a Career Relay introduction in %(network)s.") % {
            "network": introduction.network.name
        }
    ProvisionRecord.objects.create(
        org=source,
        introduction=introduction,
        recipient=introduction.org,
        recipient_name=introduction.org.name,
        person_name=candidate.display_name,
        candidate=candidate,
        items=DISCLOSED_ITEMS,
        consent_event=consent_event,
        provided_at=now,
        keep_until=keep_until,
    )
    ReceiptRecord.objects.create(
        org=introduction.org,
        introduction=introduction,
        provider=source,
        provider_name=source.name,
        how_obtained=how_obtained,
        person_name=candidate.display_name,
        candidate=application.candidate,
        items=DISCLOSED_ITEMS,
        received_at=now,
        keep_until=keep_until,
    )


@transaction.atomic
def introduction_answer(
    *, candidate: Candidate, introduction_id: object, approve: bool, evidence: Evidence
) -> Introduction:
    """The person's yes or no, from the portal. Yes is consent to disclose to that company."""
    introduction = pending_for(candidate, introduction_id)
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if introduction.status != Introduction.Status.REQUESTED or introduction.expires_at <= clock.now():
        raise Conflict(_("This request has already been answered or has expired."))
    introduction.decided_at = clock.now()
    if approve:
        event = consent_grant(
            candidate=candidate,
            purpose=purposes.disclose(introduction.org_id),
            language=language_of(candidate),
            evidence=evidence,
        )
        _disclose(introduction, candidate, event)
        introduction.status = Introduction.Status.APPROVED
        notify(
            introduction.org,
            gettext_noop("Good news: the person agreed to meet you for %(job)s. They are now in your pool."),
            f"/candidates/{introduction.recipient_candidate_id}/",
            job=introduction.job.title,
        )
    else:
        introduction.status = Introduction.Status.DECLINED
        notify(
            introduction.org,
            gettext_noop("The person declined the introduction for %(job)s."),
            job=introduction.job.title,
        )
    introduction.save()
    return introduction


def introductions_expire(at: datetime) -> int:
    expired = 0
    for introduction in Introduction.objects.filter(status=Introduction.Status.REQUESTED, expires_at__lte=at):
        with transaction.atomic():
            if Introduction.objects.filter(pk=introduction.pk, status=Introduction.Status.REQUESTED).update(
                status=Introduction.Status.EXPIRED, decided_at=at
            ):
                notify(introduction.org, gettext_noop("An introduction request expired without an answer."))
                expired += 1
    return expired


@transaction.atomic
def introduction_outcome(*, actor: Actor, introduction_id: object, outcome: str) -> Introduction:
    """The requester reports how it went. A hire makes one placement (and its credit), however
    often or concurrently it is reported; 'not hired' after a hire inside the guarantee reverses it."""
    actor.require(Role.RECRUITER)
    introduction = introduction_of_requester(org=actor.org, pk=introduction_id)
    introduction = Introduction.objects.select_for_update().select_related("network", "org").get(pk=introduction.pk)
    if introduction.status != Introduction.Status.APPROVED:
        raise Conflict(_("Only an approved introduction has outcomes."))
    if outcome not in Introduction.Outcome.values or not outcome:
        raise DomainValidationError(_("Unknown outcome."), field="outcome")
    previous = introduction.outcome
    introduction.outcome = outcome
    introduction.save(update_fields=["outcome"])
    if outcome == Introduction.Outcome.HIRED and previous != outcome:
        _hire(actor, introduction)
    elif previous == Introduction.Outcome.HIRED and outcome != previous:
        _unhire(actor, introduction)
    actor.audit("relay.outcome", target=introduction, details={"outcome": outcome})
    return introduction


def _hire(actor: Actor, introduction: Introduction) -> None:
    today = clock.today_jst().date()
    placement, created = Placement.objects.get_or_create(
        introduction=introduction,
        defaults={
            "org": introduction.org,
            "network": introduction.network,
            "source_org_id": introduction.source_org_id,
            "hired_on": today,
            "guarantee_until": clock.now() + timedelta(days=introduction.network.guarantee_days),
        },
    )
    if not created and placement.status == Placement.Status.REVERSED:
        raise Conflict(_("This placement was reversed; report a new introduction instead."))
    credits.credit_earn(placement)
    if introduction.recipient_application_id:
        application_hire(actor=actor, application_id=introduction.recipient_application_id, hire_date=today)
    notify(
        placement.source_org,
        gettext_noop("A person you shared was hired by %(org)s. A free referral slot is on its way."),
        "/relay/credits/",
        org=actor.org.name,
    )


def _unhire(actor: Actor, introduction: Introduction) -> None:
    placement = Placement.objects.select_for_update().filter(introduction=introduction).first()
    if placement is None:
        return
    credits.credit_reverse(placement)
    if introduction.recipient_application_id:
        application_unhire(actor=actor, application_id=introduction.recipient_application_id)
