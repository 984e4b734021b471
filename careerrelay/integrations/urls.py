from django.urls import path

from careerrelay.integrations import views

app_name = "hooks"

urlpatterns = [
    path("greenhouse/<slug:org_slug>", views.greenhouse_hook, name="greenhouse"),
    path("lever/<slug:org_slug>", views.lever_hook, name="lever"),
]
