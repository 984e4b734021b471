from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "careerrelay.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from careerrelay.accounts import emails, services
        from careerrelay.core import worker

        worker.register("process_password_resets", every=timedelta(seconds=0))(services.process_password_reset_requests)
        worker.register("send_system_emails", every=timedelta(seconds=0))(emails.send_due)
