from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"

    def ready(self) -> None:
        from monitoring import signals  # noqa: F401 - connects the handover receiver
        from monitoring.models import Evidence
        from wizzr import scanning

        scanning.register(Evidence)
