from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WizzrConfig(AppConfig):
    name = "wizzr"
    verbose_name = _("WIZZR-basis")

    def ready(self) -> None:
        from wizzr import signals  # noqa: F401  (connects the login audit receivers)
