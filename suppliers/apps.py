from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Leveranciersregister")

    def ready(self) -> None:
        from suppliers.models import PsoCertificate
        from wizzr import scanning

        scanning.register(PsoCertificate)
