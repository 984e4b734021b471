"""The import page: upload a CSV file, check it (dry run) or import it as a background job, follow
the job's progress and download its error report."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from careerrelay.candidates.imports import jobs
from careerrelay.candidates.imports.models import ImportJob
from careerrelay.candidates.imports.presets import FIELDS
from careerrelay.core.errors import DomainValidationError
from careerrelay.web.views import _actor, member_required

PRESETS = [
    ("", gettext_lazy("Detect from the header row")),
    ("ours", gettext_lazy("Our own export")),
    ("greenhouse", gettext_lazy("Greenhouse candidate export")),
    ("ja_ats", gettext_lazy("Japanese ATS export (Japanese headers)")),
    ("custom", gettext_lazy("Custom mapping (below)")),
]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file (UTF-8 or Shift_JIS)"))
    preset = forms.ChoiceField(label=gettext_lazy("Columns"), choices=PRESETS, required=False)
    mapping = forms.CharField(
        label=gettext_lazy("Custom mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One column a line: column name = field name, e.g. 氏名 = full_name."),
    )

    def clean_mapping(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["mapping"].splitlines(), start=1):
            if not line.strip():
                continue
            column, sep, field = line.partition("=")
            if not sep or not column.strip() or field.strip() not in FIELDS:
                raise forms.ValidationError(
                    _("Line %(line)s: write “column name = field name” with one of the fields: %(fields)s.")
                    % {"line": number, "fields": ", ".join(FIELDS)}
                )
            mapping[column.strip()] = field.strip()
        return mapping

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("preset") == "custom" and not cleaned.get("mapping"):
            self.add_error("mapping", _("Give the mapping for a custom import."))
        return cleaned


@member_required
@require_http_methods(["GET", "POST"])
def imports_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.import_job_create(
                actor=actor,
                upload=upload,
                file_name=upload.name or "",
                preset=form.cleaned_data["preset"],
                mapping=form.cleaned_data["mapping"] or None,
                dry_run="dry_run" in request.POST,
            )
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The file was received; it is processed in the background."))
            return redirect("web:import_job", import_id=job.pk)
    context = {"form": form, "imports": jobs.import_jobs_list(org=actor.org), "can_write": actor.role != "viewer"}
    return render(request, "web/imports.html", context, status=400 if form.errors else 200)


@member_required
@require_GET
def import_job_view(request: HttpRequest, import_id: str) -> HttpResponse:
    job = jobs.import_job_get(org=_actor(request).org, pk=import_id)
    context = {
        "job": job,
        "running": job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING),
        "more_errors": max(job.error_count - len(job.errors), 0),
    }
    return render(request, "web/import_job.html", context)


@member_required
@require_GET
def import_errors_view(request: HttpRequest, import_id: str) -> HttpResponse:
    job = jobs.import_job_get(org=_actor(request).org, pk=import_id)
    response = HttpResponse(("\ufeff" + jobs.errors_csv(job)).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response
