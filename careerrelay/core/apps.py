from datetime import timedelta

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "careerrelay.core"
    label = "core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from careerrelay.core import lookups, ratelimit, tenancy, tenancy_rls, worker  # noqa: F401 - lookups registers field__any_of

        worker.register("purge_rate_counters", every=timedelta(hours=1))(lambda at: ratelimit.purge_expired())
        connection_created.connect(tenancy.on_connection_created, dispatch_uid="careerrelay_tenancy_connection")
        # Connected for every sender; the handler acts once, for the last app.
        post_migrate.connect(tenancy_rls.on_post_migrate, dispatch_uid="careerrelay_tenancy_rls")
