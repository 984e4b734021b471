from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "careerrelay.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from careerrelay.candidates import hooks as candidate_hooks
        from careerrelay.consent import hooks as consent_hooks
        from careerrelay.core import worker
        from careerrelay.orgs import hooks as org_hooks
        from careerrelay.outreach import (
            defaults,
            dispatch,
            lifecycle,
            newsletter_send,
            planner,
            privacy,
            rejection,
            tracking,
        )

        org_hooks.on_org_created(defaults.install_default_templates)
        candidate_hooks.on_rejected(rejection.queue_rejection_email)
        candidate_hooks.on_rejected(planner.plan_rejection, many=planner.plan_rejections)
        consent_hooks.on_withdrawn(lifecycle.cancel_for_withdrawal)
        consent_hooks.on_erasure(lifecycle.erase_messages)
        consent_hooks.on_erasure(privacy.suppressions_erase)
        consent_hooks.on_contact_source(privacy.last_message_sent)
        consent_hooks.on_export(privacy.messages_export)
        # Runs before dispatch_messages in the same tick (jobs run in name order).
        worker.register("compose_rescout_messages", every=timedelta(seconds=0))(planner.compose_rescout_messages)
        worker.register("compose_newsletter_messages", every=timedelta(seconds=0))(newsletter_send.expand_due)
        worker.register("dispatch_messages", every=timedelta(seconds=0))(dispatch.dispatch_due)
        worker.register("queue_consent_renewals", every=timedelta(hours=6))(lifecycle.queue_renewals)
        tracking.connect()
