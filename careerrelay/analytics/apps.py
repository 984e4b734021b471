from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "careerrelay.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from careerrelay.analytics import aggregate
        from careerrelay.core import worker

        worker.register("update_analytics", every=timedelta(hours=24))(aggregate.update_all)
