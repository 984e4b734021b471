from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.urls import include, path

from careerrelay.api.main import api
from careerrelay.web.system_views import healthz

urlpatterns = [
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    # The mail provider's bounce and complaint webhook (django-anymail; docs/outreach.md).
    path("hooks/mail/postmark/tracking/", PostmarkTrackingWebhookView.as_view(), name="mail_postmark_tracking"),
    path("hooks/", include("careerrelay.integrations.urls")),
    path("p/", include("careerrelay.portal.urls")),
    path("", include("careerrelay.web.urls")),
]

handler404 = "careerrelay.web.system_views.not_found"
handler500 = "careerrelay.web.system_views.server_error"
