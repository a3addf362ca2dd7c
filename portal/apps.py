from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Leveranciersportaal")

    def ready(self) -> None:
        from portal import panels, signals  # noqa: F401 (signals: its receivers connect on import)

        # What the portal shows on monitoring's pages; monitoring does not import the portal.
        panels.register()
