from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WizzrConfig(AppConfig):
    name = "wizzr"
    verbose_name = _("Accounts en organisaties")

    def ready(self) -> None:
        from django.core import checks

        from wizzr import signals  # noqa: F401  (connects the login audit receivers)
        from wizzr.scanning import check_scanner_configured

        checks.register(check_scanner_configured, checks.Tags.security, deploy=True)
