from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgebaseConfig(AppConfig):
    name = "knowledgebase"
    verbose_name = _("Kennisbank")

    def ready(self) -> None:
        # The [[bouwblokken]] Markdown placeholder, and the search vocabulary refresh.
        from knowledgebase import catalogue, signals  # noqa: F401
        from knowledgebase.models import HelpRequestAttachment
        from wizzr import scanning

        scanning.register(HelpRequestAttachment)
