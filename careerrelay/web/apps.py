from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "careerrelay.web"
    label = "web"
