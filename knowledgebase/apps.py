from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgebaseConfig(AppConfig):
    name = "knowledgebase"
    verbose_name = _("Kennisbank")

    def ready(self) -> None:
        # Registers the [[bouwblokken]] Markdown placeholder.
        from knowledgebase import catalogue  # noqa: F401
