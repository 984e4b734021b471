"""What a re-scout message says: the step's template in the person's language, the org's open
jobs that fit the person (a simple skills and department fit), and the one-click links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext, override

from careerrelay.candidates.models import Application, Candidate, JobRequisition
from careerrelay.consent.policy import org_display_name
from careerrelay.orgs.models import Organization
from careerrelay.outreach.compose import Rendered, name_of, render
from careerrelay.outreach.defaults import default_template
from careerrelay.outreach.links import LinkMaker
from careerrelay.outreach.models import MessageKind, MessageTemplate

JOBS_LISTED = 3


def kind_for_step(step: int) -> str:
    return MessageKind.RESCOUT_FIRST if step == 1 else MessageKind.RESCOUT_LATER


def _words(values: list[str]) -> set[str]:
    return {str(value).strip().casefold() for value in values if str(value).strip()}


def fitting_jobs(
    candidate: Candidate, application: Application | None, jobs: list[JobRequisition]
) -> list[JobRequisition]:
    """Open jobs ranked by shared skills, then the department of the job they applied for, then a
    desired role in the title; jobs with nothing in common are left out."""
    department = application.job.department if application is not None and application.job else ""
    return _fitting(Person.of(candidate), department, jobs)


class Person(NamedTuple):
    """What a re-scout message reads of a person: the planner loads these as plain rows, not
    model instances (thousands a tick)."""

    id: Any
    family_name: str
    given_name: str
    email: str
    skills: list[str] | None
    desired_roles: list[str] | None

    @classmethod
    def of(cls, candidate: Candidate) -> Person:
        return cls(
            candidate.pk,
            candidate.family_name,
            candidate.given_name,
            candidate.email,
            candidate.skills,
            candidate.desired_roles,
        )


def _fitting(person: Person, department: str, jobs: list[JobRequisition]) -> list[JobRequisition]:
    skills = _words(person.skills or [])
    roles = _words(person.desired_roles or [])
    ranked = []
    for job in jobs:
        shared = len(skills & _words([*job.required_skills, *job.preferred_skills]))
        same_department = bool(department) and job.department == department
        wished = any(role in job.title.casefold() for role in roles)
        score = shared * 2 + same_department * 2 + wished
        if score:
            ranked.append((-score, job.title, job))
    return [job for _score, _title, job in sorted(ranked, key=lambda item: item[:2])[:JOBS_LISTED]]


def jobs_text(jobs: list[JobRequisition], language: str) -> str:
    with override(language):
        if not jobs:
            return gettext(
                "(No opening matches your profile exactly right now, but we would still love to hear from you.)"
            )
        lines = []
        for job in jobs:
            where = f"（{job.department}）" if language == "ja" and job.department else ""
            where = where or (f" ({job.department})" if job.department else "")
            lines.append(f"・{job.title}{where}")
        return "\n".join(lines)


@dataclass
class OrgContent:
    """What every message of one org in one planner run shares: its open jobs and templates."""

    org: Organization
    jobs: list[JobRequisition]
    templates: dict[tuple[str, str], MessageTemplate] = field(default_factory=dict)
    links: LinkMaker = field(default_factory=LinkMaker)
    # The planner renders thousands of messages per tick; most people get the same job list.
    _jobs_text: dict[tuple[tuple[Any, ...], str], str] = field(default_factory=dict)
    _position: dict[str, str] = field(default_factory=dict)
    _company: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, org: Organization) -> OrgContent:
        jobs = list(JobRequisition.objects.filter(org=org, status=JobRequisition.Status.OPEN).order_by("opened_at"))
        templates = {
            (template.kind, template.language): template
            for template in MessageTemplate.objects.filter(
                org=org, kind__in=[MessageKind.RESCOUT_FIRST, MessageKind.RESCOUT_LATER], reason__isnull=True
            )
        }
        return cls(org=org, jobs=jobs, templates=templates)

    def template(self, kind: str, language: str) -> MessageTemplate:
        found = self.templates.get((kind, language))
        return found if found is not None else default_template(self.org, kind, language)

    def render(
        self, *, candidate: Candidate, application: Application | None, step: int, language: str, message_id: Any
    ) -> Rendered:
        job = application.job if application is not None and application.job_id else None
        return self.render_for_job(
            person=Person.of(candidate), job=job, step=step, language=language, message_id=message_id
        )

    def render_for_job(
        self, *, person: Person, job: JobRequisition | None, step: int, language: str, message_id: Any
    ) -> Rendered:
        """`job`: the job the person applied for (its title, and its department for the fit)."""
        if job is not None:
            job_title = job.title
        else:
            if language not in self._position:
                with override(language):
                    self._position[language] = gettext("the position")
            job_title = self._position[language]
        fits = _fitting(person, job.department if job is not None else "", self.jobs)
        key = (tuple(fit.pk for fit in fits), language)
        if key not in self._jobs_text:
            self._jobs_text[key] = jobs_text(fits, language)
        if language not in self._company:
            self._company[language] = org_display_name(self.org, language)
        context = {
            "candidate_name": name_of(person.family_name, person.given_name, person.email, language),
            "company": self._company[language],
            "portal_url": self.links.portal_url_for(person.id),
            "job_title": job_title,
            "jobs": self._jobs_text[key],
            **self.links.links(message_id),
        }
        return render(self.template(kind_for_step(step), language), context)
