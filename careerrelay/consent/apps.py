from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "careerrelay.consent"
    label = "consent"
    verbose_name = _("Consent")

    def ready(self) -> None:
        from careerrelay.consent import erasure, policy, retention, services
        from careerrelay.core import worker
        from careerrelay.orgs import hooks

        hooks.on_org_created(policy.install_default_policy)
        worker.register("expire_consents", every=timedelta(hours=1))(services.consents_expire)
        worker.register("carry_out_erasures", every=timedelta(seconds=0))(erasure.carry_out_erasures)
        worker.register("apply_retention", every=timedelta(days=1))(retention.retention_apply)
