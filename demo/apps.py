from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site's content and `manage.py load_demo`; the running site never imports it."""

    name = "demo"
    verbose_name = "Demo"
