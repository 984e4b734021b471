from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "careerrelay.relay"
    label = "relay"
    verbose_name = _("Career Relay network")

    def ready(self) -> None:
        from careerrelay.consent import hooks as consent_hooks
        from careerrelay.core import tenancy, worker
        from careerrelay.relay import credits, introductions, privacy, sharing

        # CROSS-ORG: a person's shared profile has introductions and views by other orgs; a
        # withdrawal, an erasure or an export must reach those rows too (row-level security would
        # otherwise hide them and the update would silently touch nothing).
        reason = "a person's relay rows include other orgs' introductions and views"
        consent_hooks.on_withdrawn(tenancy.cross_org(reason)(sharing.unpublish_on_withdrawal))
        consent_hooks.on_erasure(tenancy.cross_org(reason)(sharing.erase_profiles))
        consent_hooks.on_export(tenancy.cross_org(reason)(privacy.provisions_export))
        worker.register("expire_introductions", every=timedelta(hours=1))(introductions.introductions_expire)
        worker.register("finalise_credits", every=timedelta(hours=1))(credits.credits_finalise)
        worker.register("expire_credits", every=timedelta(days=1))(credits.credits_expire)
