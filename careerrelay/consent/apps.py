from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "careerrelay.consent"
    label = "consent"
    verbose_name = _("Consent")

    def ready(self) -> None:
        from careerrelay.consent import policy, services
        from careerrelay.core import worker
        from careerrelay.orgs import hooks

        hooks.on_org_created(policy.install_default_policy)
        worker.register("expire_consents", every=timedelta(hours=1))(services.consents_expire)
