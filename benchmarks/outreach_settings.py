"""Settings for the outreach benchmarks: the project's, plus django-post-office to compare with
(installed from the `bench` extra, never a dependency of the product)."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "post_office"]
POST_OFFICE = {
    "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
    "DEFAULT_PRIORITY": "medium",
    # Log failures only: our outbox does not write a log row per success either.
    "LOG_LEVEL": 1,
    "MESSAGE_ID_ENABLED": True,
}
