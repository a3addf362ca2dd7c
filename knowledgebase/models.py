"""The knowledge base (Kennisbank): categories, articles and feedback; help requests and their replies.

Articles and categories are shared reference data in two languages (Dutch first, English
optional): each text has an ``_nl`` and an ``_en`` field and the interface language picks one.
Help requests are tenant data: they belong to the asker's organisation and are routed to the
service point that serves it.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorCombinable, SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Func, Q
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from knowledgebase.markdown import plain_text, render_markdown
from wizzr.models import Membership, Organisation, Role, TenantQuerySet
from wizzr.scanning import ScannedFile

# Text search configurations created by migration 0001: the built-in Dutch and English
# configurations with ``unaccent`` in front of the stemmer ("coördinator" finds "coordinator").
SEARCH_CONFIG = {"nl": "wizzr_dutch", "en": "wizzr_english"}
QUESTION_MAX_LENGTH = 10_000
REMARK_MAX_LENGTH = 2_000


def interface_language() -> str:
    """The two-letter code of the active interface language: ``nl`` (default) or ``en``."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return "en" if language == "en" else "nl"


class Category(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100, blank=True)
    description_nl = models.CharField(_("omschrijving (Nederlands)"), max_length=300, blank=True)
    description_en = models.CharField(_("omschrijving (Engels)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=100)

    class Meta:
        verbose_name = _("categorie")
        verbose_name_plural = _("categorieën")
        ordering = ["position", "name_nl"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return (interface_language() == "en" and self.name_en) or self.name_nl

    @property
    def description(self) -> str:
        return (interface_language() == "en" and self.description_en) or self.description_nl


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("iedereen")
    ADVISORS = "advisors", _("inkoopadviseurs en contractmanagers")
    COORDINATORS = "coordinators", _("SROI-coördinatoren")


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user) -> ArticleQuerySet:
        """Return the published articles whose audience includes ``user``; none for anonymous users.

        Everyone sees articles for everyone; advisors (and organisation admins, who manage
        advisors) also see those for advisors; coordinators those for coordinators. A user's roles
        in all their organisations count. Staff see every audience.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.published().filter(audience__in=audiences_of(user))


def audiences_of(user) -> list[str]:
    """The article audiences ``user`` belongs to."""
    if user.is_staff:
        return list(Audience.values)
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    audiences = [Audience.EVERYONE]
    if roles & {Role.ADVISOR, Role.ORG_ADMIN}:
        audiences.append(Audience.ADVISORS)
    if Role.COORDINATOR in roles:
        audiences.append(Audience.COORDINATORS)
    return audiences


class StrippedSearchVector(SearchVectorCombinable, Func):
    """``strip(to_tsvector(config, text))``: the lexemes without positions or weights.

    The body's words only need to be findable; ranking leans on title, keywords and summary. A
    vector without positions is a fraction of the size, stays below PostgreSQL's TOAST threshold,
    and ranking hundreds of matches no longer decompresses kilobytes per row.
    """

    function = "strip"
    output_field = SearchVectorField()

    def __init__(self, expression, *, config: str):
        super().__init__(SearchVector(expression, config=config))


def _vector(language: str, title, keywords, summary, body):
    config = SEARCH_CONFIG[language]
    return (
        SearchVector(title, config=config, weight="A")
        + SearchVector(keywords, config=config, weight="A")
        + SearchVector(summary, config=config, weight="B")
        + StrippedSearchVector(body, config=config)
    )


def _english_or_dutch(field: str):
    return Coalesce(NullIf(models.F(f"{field}_en"), models.Value("")), models.F(f"{field}_nl"))


class Article(models.Model):
    """A knowledge-base article. The body is Markdown; ``plain_*`` hold its text for search."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    category = models.ForeignKey(Category, verbose_name=_("categorie"), on_delete=models.PROTECT, related_name="articles")
    audience = models.CharField(_("doelgroep"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    is_published = models.BooleanField(_("gepubliceerd"), default=False)
    position = models.PositiveSmallIntegerField(_("volgorde binnen de categorie"), default=100)

    title_nl = models.CharField(_("titel (Nederlands)"), max_length=200)
    summary_nl = models.CharField(_("samenvatting (Nederlands)"), max_length=400)
    body_nl = models.TextField(_("tekst (Nederlands, Markdown)"))
    keywords_nl = models.CharField(
        _("zoekwoorden (Nederlands)"), max_length=300, blank=True,
        help_text=_("Synoniemen en samenstellingen die in de tekst ontbreken, gescheiden door komma's."),
    )
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    summary_en = models.CharField(_("samenvatting (Engels)"), max_length=400, blank=True)
    body_en = models.TextField(_("tekst (Engels, Markdown)"), blank=True)
    keywords_en = models.CharField(_("zoekwoorden (Engels)"), max_length=300, blank=True)

    plain_nl = models.TextField(editable=False, default="")
    plain_en = models.TextField(editable=False, default="")
    search_nl = models.GeneratedField(
        expression=_vector("nl", "title_nl", "keywords_nl", "summary_nl", "plain_nl"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_en = models.GeneratedField(
        expression=_vector(
            "en", _english_or_dutch("title"), _english_or_dutch("keywords"), _english_or_dutch("summary"), "plain_en"
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    related = models.ManyToManyField("self", verbose_name=_("gerelateerde artikelen"), blank=True)
    read_count = models.PositiveIntegerField(_("aantal keer gelezen"), default=0, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artikelen")
        ordering = ["category__position", "position", "title_nl"]
        indexes = [
            GinIndex(fields=["search_nl"], name="kb_article_search_nl_idx"),
            GinIndex(fields=["search_en"], name="kb_article_search_en_idx"),
            models.Index(fields=["-read_count"], name="kb_article_most_read_idx", condition=Q(is_published=True)),
        ]

    def __str__(self) -> str:
        return self.title_nl

    def save(self, *args, **kwargs) -> None:
        self.plain_nl = plain_text(self.body_nl)
        self.plain_en = plain_text(self.body_en) if self.has_english else self.plain_nl
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "plain_nl", "plain_en"}
        super().save(*args, **kwargs)

    @property
    def has_english(self) -> bool:
        return bool(self.title_en and self.body_en)

    @property
    def content_language(self) -> str:
        """The language the article is shown in: English only when asked for and available."""
        return "en" if interface_language() == "en" and self.has_english else "nl"

    def _text(self, field: str) -> str:
        return getattr(self, f"{field}_{self.content_language}") or getattr(self, f"{field}_nl")

    @property
    def title(self) -> str:
        return self._text("title")

    @property
    def summary(self) -> str:
        return self._text("summary")

    @property
    def body(self) -> str:
        return self._text("body")

    def body_html(self):
        return render_markdown(self.body, self.content_language)


class ArticleFeedback(models.Model):
    """One user's answer to "Was dit artikel nuttig?"; the user may change it."""

    article = models.ForeignKey(Article, verbose_name=_("artikel"), on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="+"
    )
    helpful = models.BooleanField(_("nuttig"))
    remark = models.TextField(_("opmerking"), blank=True, validators=[MaxLengthValidator(REMARK_MAX_LENGTH)])
    created_at = models.DateTimeField(_("gegeven op"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="kb_feedback_one_per_user")]

    def __str__(self) -> str:
        return f"{self.article} — {'ja' if self.helpful else 'nee'}"


# --- Help requests -------------------------------------------------------------------------------


def serving_service_point(organisation: Organisation | None) -> Organisation | None:
    """The service point that answers help requests of ``organisation`` (itself for a service point)."""
    if organisation is None:
        return None
    if organisation.is_service_point:
        return organisation
    return organisation.served_by


class HelpRequestQuerySet(TenantQuerySet):
    def visible_to(self, user) -> HelpRequestQuerySet:
        """Return the help requests ``user`` may see; none for anonymous users.

        Visible to the asker, to the organisation admins of the asker's organisation and to the
        coordinators of the service point the request was routed to. Colleagues with another role
        see nothing: a question may be personal.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        admin_of = Membership.objects.filter(user=user, role=Role.ORG_ADMIN).values("organisation_id")
        coordinates = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("organisation_id")
        return self.filter(Q(asker=user) | Q(organisation_id__any=ArraySubquery(admin_of)) | Q(service_point_id__any=ArraySubquery(coordinates)))

    def open(self) -> HelpRequestQuerySet:
        return self.filter(status__in=[HelpRequest.Status.OPEN, HelpRequest.Status.IN_PROGRESS])


class HelpRequest(models.Model):
    """A question to the service point (hulpvraag), or a change to a contract passed on (wijziging)."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Hulpvraag")
        CHANGE = "change", _("Wijziging doorgeven")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In behandeling")
        ANSWERED = "answered", _("Beantwoord")
        CLOSED = "closed", _("Gesloten")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="help_requests"
    )
    service_point = models.ForeignKey(
        Organisation, verbose_name=_("steunpunt"), on_delete=models.PROTECT, related_name="help_requests_to_answer"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gesteld door"), on_delete=models.PROTECT, related_name="help_requests"
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    subject = models.CharField(_("onderwerp"), max_length=200)
    question = models.TextField(_("vraag"), validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)])
    category = models.ForeignKey(
        Category, verbose_name=_("categorie"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("inkoopcontract"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="help_requests",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("gesteld op"), default=timezone.now)
    updated_at = models.DateTimeField(_("laatste activiteit"), default=timezone.now)
    applied_at = models.DateTimeField(_("wijziging doorgevoerd op"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("wijziging doorgevoerd door"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["service_point", "status"], name="kb_helprequest_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "answered", "closed"]), name="kb_helprequest_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_change(self) -> bool:
        return self.kind == self.Kind.CHANGE

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class HelpRequestReply(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    help_request = models.ForeignKey(
        HelpRequest, verbose_name=_("hulpvraag"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("reactie"), validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)])
    created_at = models.DateTimeField(_("geplaatst op"), default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} — {self.created_at:%Y-%m-%d %H:%M}"


def help_attachment_root() -> Path:
    """Folder for help-request attachments: inside PRIVATE_MEDIA_ROOT, never served directly."""
    return Path(settings.PRIVATE_MEDIA_ROOT) / "help-requests"


class HelpRequestAttachment(ScannedFile):
    """A document sent with a help request, stored under a random name outside every served folder."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    help_request = models.ForeignKey(
        HelpRequest, verbose_name=_("hulpvraag"), on_delete=models.CASCADE, related_name="attachments"
    )
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    display_name = models.CharField(_("bestandsnaam"), max_length=255)
    size = models.PositiveBigIntegerField(_("grootte"))
    content_type = models.CharField(_("bestandstype"), max_length=100)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("toegevoegd door"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("bijlage bij hulpvraag")
        verbose_name_plural = _("bijlagen bij hulpvragen")
        ordering = ["uploaded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="kb_attachment_not_empty")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def path(self) -> Path:
        return help_attachment_root() / self.stored_name
