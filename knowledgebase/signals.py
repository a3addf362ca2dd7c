"""Keep the search vocabulary (``knowledgebase_searchword``) in step with the articles."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from knowledgebase.models import Article


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
def refresh_vocabulary(sender, **kwargs) -> None:
    from knowledgebase.search import refresh_search_words

    # After commit, so that a failed save changes nothing and readers never wait on an open transaction.
    transaction.on_commit(refresh_search_words)
