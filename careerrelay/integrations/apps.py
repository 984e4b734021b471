from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "careerrelay.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from careerrelay.consent import hooks
        from careerrelay.core import worker
        from careerrelay.integrations import deliveries, erasure

        hooks.on_erasure(erasure.webhook_deliveries_erase)

        worker.register("process_webhook_deliveries", every=timedelta(seconds=0))(deliveries.process_due)
