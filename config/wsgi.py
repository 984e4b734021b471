import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_django = get_wsgi_application()

from careerrelay.web.shedding import wrap  # noqa: E402 (needs the settings loaded above)

application = wrap(_django)
