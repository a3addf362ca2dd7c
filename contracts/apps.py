from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        from contracts.models import Attachment
        from wizzr import scanning

        scanning.register(Attachment)
