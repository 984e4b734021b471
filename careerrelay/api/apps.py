from datetime import timedelta

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "careerrelay.api"
    label = "api"

    def ready(self) -> None:
        from careerrelay.api import idempotency
        from careerrelay.core import worker

        worker.register("purge_idempotency_records", every=timedelta(hours=1))(idempotency.purge_expired)
