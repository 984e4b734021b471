from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "careerrelay.relay"
    label = "relay"
    verbose_name = _("Career Relay network")
