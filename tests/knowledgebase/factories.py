"""Factories for the knowledge base. Help requests and replies inherit the organisation of their parent."""

import factory

from knowledgebase.models import Article, ArticleFeedback, Audience, Category, HelpRequest, HelpRequestReply
from tests.factories import AuthorityFactory, UserFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"categorie-{n}")
    name_nl = factory.Sequence(lambda n: f"Categorie {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"artikel-{n}")
    category = factory.SubFactory(CategoryFactory)
    audience = Audience.EVERYONE
    is_published = True
    title_nl = factory.Sequence(lambda n: f"Artikel {n}")
    summary_nl = "Een korte samenvatting."
    body_nl = "Een tekst over iets anders."
    title_en = factory.Sequence(lambda n: f"Article {n}")
    summary_en = "A short summary."
    body_en = "A text about something else."


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleFeedback

    article = factory.SubFactory(ArticleFactory)
    user = factory.SubFactory(UserFactory)
    helpful = True


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest

    organisation = factory.SubFactory(AuthorityFactory)
    service_point = factory.SelfAttribute("organisation.served_by")
    asker = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Vraag {n}")
    question = "Hoe werkt dit?"


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequestReply

    help_request = factory.SubFactory(HelpRequestFactory)
    organisation = factory.SelfAttribute("help_request.organisation")
    author = factory.SubFactory(UserFactory)
    body = "Zo werkt het."

