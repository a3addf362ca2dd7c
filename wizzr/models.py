"""Core models: users, organisations (the tenants), memberships, notifications and audit events."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address."""

    username = None
    first_name = None
    last_name = None
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mailadres"), unique=True)
    name = models.CharField(_("naam"), max_length=150)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    job_title = models.CharField(_("functie"), max_length=150, blank=True)
    # The language of what this person is sent (e-mails, notifications), whoever's action causes it:
    # the language they last chose with the switch in the header, or, before any choice, the one they
    # first logged in with. Empty: the language of the request or job that sends.
    language = models.CharField(
        _("taal"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "De taal van de e-mails en meldingen die deze gebruiker krijgt. Volgt de taalkeuze in de kop "
            "van de pagina; bij het inloggen krijgt de gebruiker de site in deze taal."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    def organisations(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(memberships__user=self).distinct()


class Organisation(models.Model):
    """A tenant: a contracting authority, an SROI service point or a supplier company."""

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("opdrachtgever")
        SERVICE_POINT = "service_point", _("SROI-steunpunt")
        SUPPLIER = "supplier", _("opdrachtnemer")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam (in adressen)"), max_length=80, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    served_by = models.ForeignKey(
        "self",
        verbose_name=_("bediend door steunpunt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_authorities",
        limit_choices_to={"kind": "service_point"},
    )
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True, db_index=True)
    benchmark_opt_out = models.BooleanField(
        _("doet niet mee aan de vergelijking"),
        default=False,
        help_text=_("De cijfers van deze opdrachtgever tellen niet mee in de vergelijking met andere opdrachtgevers."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(served_by__isnull=True) | Q(kind="authority"),
                name="organisation_only_authorities_are_served",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_authority(self) -> bool:
        return self.kind == self.Kind.AUTHORITY

    @property
    def is_service_point(self) -> bool:
        return self.kind == self.Kind.SERVICE_POINT


class Role(models.TextChoices):
    ADVISOR = "advisor", _("inkoopadviseur")
    COORDINATOR = "coordinator", _("Regisseur Social Return")
    SUPPLIER = "supplier", _("contactpersoon opdrachtnemer")
    ORG_ADMIN = "org_admin", _("beheerder organisatie")


class Membership(models.Model):
    """A user's role in an organisation; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


@models.ForeignKey.register_lookup
class AnyOf(models.Lookup):
    """``column = ANY(ARRAY(subquery))``, for filters that join ids with OR:
    ``Q(organisation_id__any=ArraySubquery(ids)) | Q(...)``. PostgreSQL runs the subquery once and
    looks each id up in the column's index; ``column IN (subquery)`` inside an OR makes it read the
    whole table and test every row (the contracts' visibility over 20,000 contracts: 7 ms against 0.2 ms)."""

    lookup_name = "any"

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} = ANY({rhs_sql})", (*lhs_params, *rhs_params)


class TenantQuerySet(models.QuerySet):
    """Base queryset for tenant-owned rows.

    ``visible_to(user)`` is the one place that decides which rows a user may see. Subclasses
    override it when visibility is wider than "rows of my own organisations" (for example
    coordinators who see handed-over contracts of the authorities their service point serves).
    """

    def visible_to(self, user) -> TenantQuerySet:
        """Return the rows owned by an organisation the user is a member of; none for anonymous users."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(organisation__memberships__user=user).distinct()


class TenantOwned(models.Model):
    """Abstract base of a row owned by one organisation, the tenant it belongs to.

    The owner is kept for scoping and never shown, hence no reverse relation; a row with history
    keeps its organisation. Models whose visibility is wider than their own organisation's members
    bring their own queryset as ``objects``.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_index=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class Invitation(models.Model):
    """An invitation by an organisation admin; the invitee sets a password through an expiring link."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=150)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uitgenodigd door"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class Notification(models.Model):
    """An in-app notification for one user (the badge and list in the header)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class OutboxMessage(models.Model):
    """A notification to deliver, written in the same transaction as the change that causes it.

    A Celery task delivers it after commit; delivery locks the row and is idempotent, and a periodic
    relay re-queues rows that are still pending (for example while the broker was down).
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        IN_APP = "in_app", _("in de app")

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht")
        SENT = "sent", _("verstuurd")
        FAILED = "failed", _("mislukt")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.CASCADE, related_name="outbox_messages"
    )
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ontvanger"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    to_email = models.EmailField(_("naar e-mailadres"), blank=True)
    template = models.CharField(_("sjabloon"), max_length=100)
    context = models.JSONField(_("gegevens"), default=dict, blank=True)
    language = models.CharField(_("taal"), max_length=10, default="nl")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(status="pending"), name="outbox_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.template} → {self.to_email or self.recipient_id}"


class AuditEvent(models.Model):
    """Who did what, to which object, with which result, from where, when (UTC stored)."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("gelukt")
        FAILURE = "failure", _("mislukt")
        DENIED = "denied", _("geweigerd")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The log is append-only (a database trigger refuses UPDATE and DELETE, migration 0003_audit_append_only): an
    # organisation with history is kept, and deleting a person's account only clears the link to them.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uitgevoerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("actie"), max_length=60)
    object_type = models.CharField(_("soort object"), max_length=60, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    result = models.CharField(_("resultaat"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    origin = models.GenericIPAddressField(_("herkomst (IP-adres)"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditgebeurtenissen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
