from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from catalogue.usage import register_usage
        from monitoring import pso, signals  # noqa: F401 - signals connects the handover receiver
        from monitoring.catalogue import USAGE
        from monitoring.models import Evidence
        from wizzr import scanning

        scanning.register(Evidence)
        register_usage(USAGE)
        pso.register()
