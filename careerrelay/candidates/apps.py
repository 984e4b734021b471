from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "careerrelay.candidates"
    label = "candidates"
    verbose_name = _("Candidate pool")

    def ready(self) -> None:
        from careerrelay.candidates import defaults
        from careerrelay.candidates.imports import jobs as import_jobs
        from careerrelay.core import worker
        from careerrelay.orgs import hooks

        hooks.on_org_created(defaults.install_defaults)
        worker.register("run_imports", every=timedelta(seconds=0))(lambda at: import_jobs.run_queued_imports())
