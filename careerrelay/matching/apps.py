from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "careerrelay.matching"
    label = "matching"
    verbose_name = _("Matching and rediscovery")

    def ready(self) -> None:
        from careerrelay.candidates import hooks
        from careerrelay.consent import hooks as consent_hooks
        from careerrelay.matching import services

        hooks.on_candidate_changed(services.profile_refresh_hook, known=services.profile_refresh_known_hook)
        hooks.on_rejected(services.rejection_hook)
        hooks.on_job_opened(services.job_opened_hook)
        consent_hooks.on_withdrawn(services.consent_withdrawn_hook)
        consent_hooks.on_erasure(services.erasure_hook)
