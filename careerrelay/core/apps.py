from datetime import timedelta

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "careerrelay.core"
    label = "core"

    def ready(self) -> None:
        from careerrelay.core import lookups, ratelimit, worker  # noqa: F401 - lookups registers field__any_of

        worker.register("purge_rate_counters", every=timedelta(hours=1))(lambda at: ratelimit.purge_expired())
