from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "careerrelay.demo"
    label = "demo"
