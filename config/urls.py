from django.urls import include, path

from careerrelay.api.main import api
from careerrelay.web.system_views import healthz

urlpatterns = [
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("hooks/", include("careerrelay.integrations.urls")),
    path("p/", include("careerrelay.portal.urls")),
    path("", include("careerrelay.web.urls")),
]

handler404 = "careerrelay.web.system_views.not_found"
handler500 = "careerrelay.web.system_views.server_error"
