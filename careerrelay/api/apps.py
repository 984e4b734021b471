from datetime import timedelta

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "careerrelay.api"
    label = "api"

    def ready(self) -> None:
        from careerrelay.api import erasure, idempotency
        from careerrelay.consent import hooks
        from careerrelay.core import worker

        hooks.on_erasure(erasure.idempotency_records_erase)

        worker.register("purge_idempotency_records", every=timedelta(hours=1))(idempotency.purge_expired)
