"""Procurement contracts (inkoopcontracten) and their attachments (bijlagen)."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Lower, Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wizzr.bounds import wide_context
from wizzr.models import Membership, Organisation, Role, TenantQuerySet
from wizzr.scanning import ScannedFile

CENT = Decimal("0.01")


class ContractQuerySet(TenantQuerySet):
    def visible_to(self, user) -> ContractQuerySet:
        """Return the contracts ``user`` may see.

        Members of the owning organisation see all of its contracts, drafts included.
        Coordinators of the service point that serves the owning organisation see its contracts
        from handover on, never drafts. Everybody else (anonymous users included) sees nothing.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        member_of = Membership.objects.filter(user=user).values("organisation_id")
        coordinates = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("organisation_id")
        in_view = Organisation.objects.filter(Q(pk__in=member_of) | Q(served_by_id__in=coordinates)).order_by()
        # By organisation id alone (no join per contract): one condition on the organisation that an
        # index scan reads (contract_org_status_idx holds what lists filter, count and sort by, so that
        # they read the index only), then the concepts of organisations the user is not a member of
        # are left out.
        return self.filter(
            Q(organisation_id__any=ArraySubquery(in_view.values("pk")))
            & (Q(organisation_id__any=ArraySubquery(member_of)) | ~Q(status=Contract.Status.DRAFT))
        )

    def with_obligation(self) -> ContractQuerySet:
        """Annotate ``obligation_amount``: the SROI obligation (may be NULL), read from the column that
        PostgreSQL computes with ``obligation_sql`` whenever the row is written."""
        return self.annotate(obligation_amount=F("stored_obligation"))


# The SROI obligation of a contract: the fixed amount when one was agreed, else the contract value
# times the SROI percentage, rounded half up to cents; unknown (None / NULL) without either; less the
# contract's discount on the obligation (a percentage), again rounded half up to cents. Written
# for Python (``Contract.sroi_obligation``, used where one contract is entered or shown) and for SQL
# (``obligation_sql``, the only SQL form: the generated column ``Contract.stored_obligation`` that
# lists, totals, filters and reports read through ``with_obligation``), side by side;
# tests/contracts/test_obligation_rule.py holds the two to the same answers over many cases.


def obligation_of(
    *,
    fixed: Decimal | None,
    value: Decimal | None,
    percentage: Decimal | None,
    discount: Decimal | None = None,
) -> Decimal | None:
    """The obligation rule in Python. A discount (a percentage, e.g. for a PSO certificate) lowers
    the obligation computed without it: full × (100 − discount) / 100, rounded half up to cents."""
    with wide_context():
        if fixed is not None:
            full = Decimal(fixed).quantize(CENT, rounding=ROUND_HALF_UP)
        elif value is None or percentage is None:
            return None
        else:
            full = (Decimal(value) * Decimal(percentage) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
        if discount is None:
            return full
        return (full * (Decimal(100) - Decimal(discount)) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def obligation_sql() -> Round:
    """The obligation rule as an SQL expression over the contract's columns (PostgreSQL's ROUND of a
    numeric rounds half away from zero, as ROUND_HALF_UP does). Without a discount the factor is
    exactly 1 and the rounding changes nothing."""
    full = Coalesce(
        F("sroi_fixed_amount"),
        Round(F("contract_value") * F("sroi_percentage") / Decimal(100), 2),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
    )
    return Round(
        full * (Decimal(100) - Coalesce(F("obligation_discount"), Decimal(0))) / Decimal(100),
        2,
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
    )


class Contract(models.Model):
    """An inkoopcontract of a contracting authority, entered by an advisor and handed over to the
    SROI coordinator of the service point that serves the authority."""

    class Kind(models.TextChoices):
        WORKS = "works", _("Werk")
        SERVICES = "services", _("Dienst")
        SUPPLIES = "supplies", _("Levering")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        HANDED_OVER = "handed_over", _("Overgedragen")
        AGREEMENTS_MADE = "agreements_made", _("Afspraken gemaakt")
        IN_PROGRESS = "in_progress", _("In uitvoering")
        CLOSED = "closed", _("Afgerond")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="contracts"
    )

    # The four mandatory fields of the manual.
    contract_number = models.CharField(_("Inkoopcontractnummer"), max_length=50)
    title = models.CharField(_("Titel"), max_length=200, help_text=_("Onderwerp van de opdracht: wat is er ingekocht?"))
    start_date = models.DateField(_("Startdatum"))
    end_date = models.DateField(_("Einddatum"))
    supplier = models.ForeignKey(
        "suppliers.Supplier", verbose_name=_("Uitvoerende partij"), on_delete=models.PROTECT, related_name="contracts"
    )

    # Desirable fields: context for the coordinator.
    contract_value = models.DecimalField(
        _("Opdrachtsom"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("In euro, exclusief btw.")
    )
    sroi_percentage = models.DecimalField(_("SROI-percentage"), max_digits=5, decimal_places=2, default=Decimal("5.00"))
    sroi_fixed_amount = models.DecimalField(
        _("Vast SROI-bedrag"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("Vul dit in als er een vast bedrag is afgesproken in plaats van een percentage."),
    )
    kind = models.CharField(_("Soort opdracht"), max_length=10, choices=Kind.choices, blank=True)
    description = models.TextField(_("Omschrijving"), blank=True)
    sroi_paragraph = models.TextField(_("SROI-paragraaf zoals afgesproken"), blank=True)
    department = models.CharField(_("Afdeling"), max_length=200, blank=True)
    award_date = models.DateField(_("Gunningsdatum"), null=True, blank=True)
    supplier_contact_name = models.CharField(_("Naam contactpersoon SROI opdrachtnemer"), max_length=150, blank=True)
    supplier_contact_email = models.EmailField(_("E-mailadres contactpersoon opdrachtnemer"), blank=True)
    supplier_contact_phone = models.CharField(_("Telefoon contactpersoon opdrachtnemer"), max_length=30, blank=True)
    remarks_for_coordinator = models.TextField(_("Opmerkingen voor de SROI-coördinator"), blank=True)
    contact_persons = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Contactpersonen opdrachtgever"), blank=True,
        related_name="contracts_as_contact",
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aangemaakt door"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    handed_over_at = models.DateTimeField(_("overgedragen op"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("overgedragen door"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    # A discount on the obligation set by the system only (``contract_obligation_discount_set``),
    # e.g. for the supplier's PSO certificate under the region's rule; the label says why.
    obligation_discount = models.DecimalField(
        _("korting op de verplichting (%)"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    obligation_discount_label = models.CharField(
        _("reden van de korting"), max_length=80, blank=True, editable=False, help_text=_("Bijvoorbeeld ‘PSO trede 2’.")
    )
    # The obligation as ``obligation_sql`` computes it, kept by PostgreSQL whenever the row is written
    # (the discount trigger included): a list or a total reads a column instead of compiling and
    # evaluating the rule inside every figure that uses it. Read it through ``with_obligation``; an
    # instance changed in Python has the new value in ``sroi_obligation`` before it is saved.
    stored_obligation = models.GeneratedField(
        expression=obligation_sql(),
        output_field=models.DecimalField(max_digits=14, decimal_places=2, null=True),
        db_persist=True,
        verbose_name=_("SROI-verplichting"),
    )

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("inkoopcontract")
        verbose_name_plural = _("inkoopcontracten")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("contract_number"),
                "organisation",
                name="contract_unique_number_per_organisation",
                violation_error_message=_("Uw organisatie heeft al een inkoopcontract met dit inkoopcontractnummer."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="contract_end_not_before_start",
                violation_error_message=_("De einddatum mag niet vóór de startdatum liggen."),
            ),
            models.CheckConstraint(
                condition=Q(sroi_percentage__gte=0) & Q(sroi_percentage__lte=100),
                name="contract_sroi_percentage_0_100",
            ),
            models.CheckConstraint(
                condition=Q(contract_value__isnull=True) | Q(contract_value__gte=0),
                name="contract_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(sroi_fixed_amount__isnull=True) | Q(sroi_fixed_amount__gte=0),
                name="contract_sroi_fixed_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(obligation_discount__isnull=True)
                | (Q(obligation_discount__gte=0) & Q(obligation_discount__lte=100)),
                name="contract_obligation_discount_0_100",
            ),
        ]
        indexes = [
            # Covering: the visibility filter, the status filter, the default order (the term) and the
            # count of a list come from the index alone.
            models.Index(
                fields=["organisation", "status"],
                include=["start_date", "end_date", "id"],
                name="contract_org_status_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_number} — {self.title}"

    @property
    def sroi_obligation(self) -> Decimal | None:
        """The SROI obligation in EUR (2 places): the fixed amount, or value × percentage, less any
        discount on the obligation; None if unknown."""
        return obligation_of(
            fixed=self.sroi_fixed_amount,
            value=self.contract_value,
            percentage=self.sroi_percentage,
            discount=self.obligation_discount,
        )

    @property
    def obligation_before_discount(self) -> Decimal | None:
        """The obligation as it would be without the discount (the same as ``sroi_obligation`` without one)."""
        return obligation_of(fixed=self.sroi_fixed_amount, value=self.contract_value, percentage=self.sroi_percentage)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class AttachmentQuerySet(TenantQuerySet):
    def visible_to(self, user) -> AttachmentQuerySet:
        """Return the attachments of the contracts ``user`` may see (see ``ContractQuerySet.visible_to``)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(contract__in=Contract.objects.visible_to(user))


def attachment_root() -> Path:
    """The folder holding attachment files: inside PRIVATE_MEDIA_ROOT, never served directly."""
    return Path(settings.PRIVATE_MEDIA_ROOT) / "attachments"


class Attachment(ScannedFile):
    """A document added to a contract. The file lives under a random name outside any served folder."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="contract_attachments"
    )
    contract = models.ForeignKey(
        Contract, verbose_name=_("inkoopcontract"), on_delete=models.CASCADE, related_name="attachments"
    )
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    display_name = models.CharField(_("bestandsnaam"), max_length=255)
    size = models.PositiveBigIntegerField(_("grootte"))
    content_type = models.CharField(_("bestandstype"), max_length=100)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("toegevoegd door"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["uploaded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def path(self) -> Path:
        return attachment_root() / self.stored_name


class ImportBatchQuerySet(TenantQuerySet):
    def visible_to(self, user) -> ImportBatchQuerySet:
        """Return the import batches of the organisations where ``user`` is an organisation admin."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        admin_of = Membership.objects.filter(user=user, role=Role.ORG_ADMIN).values("organisation_id")
        return self.filter(organisation_id__in=admin_of)


class ImportBatch(models.Model):
    """One spreadsheet of existing contracts uploaded by an organisation admin: its rows, the dry run's
    verdict per row, and, once applied, what it created and changed (so that it can be undone)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Wordt gecontroleerd")
        CHECKED = "checked", _("Gecontroleerd")
        APPLYING = "applying", _("Wordt toegepast")
        APPLIED = "applied", _("Toegepast")
        UNDONE = "undone", _("Ongedaan gemaakt")
        FAILED = "failed", _("Mislukt")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="contract_imports"
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    progress = models.PositiveSmallIntegerField(_("voortgang"), default=0)
    # The cells as read from the file (strings, keyed by column name), in file order.
    source_rows = models.JSONField(default=list, editable=False)
    # The dry run: per row its outcome, reasons per column and the values it would store.
    rows = models.JSONField(default=list, editable=False)
    summary = models.JSONField(default=dict, editable=False)
    # Applied: {"created": [{"uuid", "updated_at"}], "changed": [{"uuid", "updated_at", "previous": {...}}]}
    changes = models.JSONField(default=dict, editable=False)
    message = models.TextField(_("melding"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("geüpload door"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geüpload op"), default=timezone.now)
    applied_at = models.DateTimeField(_("toegepast op"), null=True, blank=True)
    undone_at = models.DateTimeField(_("ongedaan gemaakt op"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("contractimport")
        verbose_name_plural = _("contractimports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
