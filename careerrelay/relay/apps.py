from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "careerrelay.relay"
    label = "relay"
    verbose_name = _("Career Relay network")

    def ready(self) -> None:
        from careerrelay.consent import hooks as consent_hooks
        from careerrelay.core import worker
        from careerrelay.relay import credits, introductions, privacy, sharing

        consent_hooks.on_withdrawn(sharing.unpublish_on_withdrawal)
        consent_hooks.on_erasure(sharing.erase_profiles)
        consent_hooks.on_export(privacy.provisions_export)
        worker.register("expire_introductions", every=timedelta(hours=1))(introductions.introductions_expire)
        worker.register("finalise_credits", every=timedelta(hours=1))(credits.credits_finalise)
        worker.register("expire_credits", every=timedelta(days=1))(credits.credits_expire)
