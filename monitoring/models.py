"""Monitoring: building-block catalogues (reference data) and the coordinator's follow-up of contracts.

Catalogues are regional reference data shared by every tenant. A region's catalogue has versions;
a contract pins the version in force when it was handed over, and the values of its agreements
and realisations are stored when they are saved, so that a later version (or a correction of a
block) never changes the figures of older contracts.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from wizzr.models import TenantOwned, TenantQuerySet
from wizzr.scanning import ScannedFile

ZERO = Decimal("0.00")


class Region(models.Model):
    """A region with one building-block catalogue, and the SROI service points that work with it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    service_points = models.ManyToManyField(
        "wizzr.Organisation",
        verbose_name=_("servicepunten"),
        related_name="sroi_regions",
        blank=True,
        limit_choices_to={"kind": "service_point"},
        help_text=_("De SROI-servicepunten die met het bouwblokkenmodel van deze regio werken."),
    )

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Catalogue(models.Model):
    """The building-block model (bouwblokkenmodel) of a region."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.OneToOneField(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="catalogue")
    name = models.CharField(_("naam"), max_length=160)

    class Meta:
        verbose_name = _("bouwblokkenmodel")
        verbose_name_plural = _("bouwblokkenmodellen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CatalogueVersionQuerySet(models.QuerySet):
    def published(self) -> CatalogueVersionQuerySet:
        """The versions that can be in force; drafts never are."""
        return self.filter(status=CatalogueVersion.Status.PUBLISHED)

    def in_force_for(self, *, service_point, on) -> CatalogueVersion | None:
        """Return the published version of the service point's region in force on date ``on``, or None.

        That is the latest published version with ``valid_from`` on or before ``on``; None when the
        service point has no region or the region has no published version yet.
        """
        if service_point is None:
            return None
        return (
            self.published()
            .filter(catalogue__region__service_points=service_point, valid_from__lte=on)
            .order_by("-valid_from", "-pk")
            .first()
        )


class CatalogueVersion(models.Model):
    """One version of a catalogue. A draft is prepared in the admin (see ``monitoring.catalogue``);
    publishing fixes its valid-from date and freezes it with its blocks and bonuses, so that the
    contracts that pin it never see a value change. Versions made in code (the shipped catalogues)
    are published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("bouwblokkenmodel"), on_delete=models.PROTECT, related_name="versions"
    )
    label = models.CharField(_("versie"), max_length=80, help_text=_("Bijvoorbeeld ‘V05 april 2023’."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    valid_from = models.DateField(
        _("geldig vanaf"), null=True, blank=True, help_text=_("Wordt vastgesteld bij het publiceren.")
    )
    notes = models.TextField(_("toelichting"), blank=True)

    objects = CatalogueVersionQuerySet.as_manager()

    # What a published version keeps for good.
    FROZEN_FIELDS = ("catalogue_id", "label", "status", "valid_from", "notes")

    class Meta:
        verbose_name = _("versie bouwblokkenmodel")
        verbose_name_plural = _("versies bouwblokkenmodel")
        ordering = ["catalogue__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "label"], name="catalogueversion_unique_label"),
            models.UniqueConstraint(
                fields=["catalogue", "valid_from"],
                condition=Q(status="published"),
                name="catalogueversion_unique_valid_from",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(valid_from__isnull=False),
                name="catalogueversion_published_has_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue.name} {self.label}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        if self.pk is None:
            return
        stored = CatalogueVersion.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).first()
        if stored and any(getattr(stored, name) != getattr(self, name) for name in self.FROZEN_FIELDS):
            raise ValidationError(FROZEN_MESSAGE)


FROZEN_MESSAGE = _("Een gepubliceerde versie ligt vast. Maak een nieuwe versie op basis van deze.")


def refuse_frozen_version(part: models.Model) -> None:
    """Refuse a new or changed block or bonus of a published version (``part.clean``)."""
    if part.version_id is not None and CatalogueVersion.objects.published().filter(pk=part.version_id).exists():
        raise ValidationError(FROZEN_MESSAGE)
    if part.pk is not None:
        stored_version = type(part).objects.filter(pk=part.pk).values_list("version_id", flat=True).first()
        if stored_version and CatalogueVersion.objects.published().filter(pk=stored_version).exists():
            raise ValidationError(FROZEN_MESSAGE)


class BuildingBlock(models.Model):
    """A valued SROI activity in one catalogue version (see ``monitoring.values``)."""

    class Category(models.TextChoices):
        EMPLOYMENT = "employment", _("werkgelegenheid")
        LEARN_WORK = "learn_work", _("leerwerktraject")
        INTERNSHIP = "internship", _("stage en werkervaring")
        SOCIAL_PURCHASING = "social_purchasing", _("sociaal inkopen")
        SOCIAL_ACTIVITY = "social_activity", _("maatschappelijke activiteit")

    class Unit(models.TextChoices):
        PER_YEAR = "per_year", _("per jaar (naar rato uren per week ÷ 36 en maanden)")
        PER_MONTH = "per_month", _("per maand")
        PER_LEARN_WORK_YEAR = "per_learn_work_year", _("per leerwerkjaar (naar rato maanden)")
        PER_HOUR = "per_hour", _("per uur")
        INVOICE_PERCENTAGE = "invoice_percentage", _("percentage van het factuurbedrag excl. btw")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        CatalogueVersion, verbose_name=_("versie"), on_delete=models.PROTECT, related_name="blocks"
    )
    name = models.CharField(_("naam"), max_length=200)
    category = models.CharField(_("categorie"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("eenheid"), max_length=20, choices=Unit.choices)
    value = models.DecimalField(
        _("waarde"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Bedrag in euro per eenheid; bij ‘percentage van het factuurbedrag’ het percentage (0–100)."),
    )
    counting_months = models.PositiveSmallIntegerField(
        _("telduur in maanden"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Alleen bij ‘per jaar’: hoe lang een plaatsing ten hoogste meetelt. Leeg = altijd."),
    )
    description = models.TextField(_("toelichting"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("bouwblok")
        verbose_name_plural = _("bouwblokken")
        ordering = ["version", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="buildingblock_unique_name_per_version"),
            models.CheckConstraint(condition=Q(value__gte=0), name="buildingblock_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(unit="invoice_percentage") | Q(value__lte=100),
                name="buildingblock_percentage_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(counting_months__isnull=True) | Q(unit="per_year"),
                name="buildingblock_counting_only_per_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        refuse_frozen_version(self)

    @property
    def counts_always(self) -> bool:
        return self.unit == self.Unit.PER_YEAR and self.counting_months is None

    @property
    def takes_bonuses(self) -> bool:
        return self.unit == self.Unit.PER_YEAR

    @property
    def value_label(self) -> str:
        """The value with its unit in words, e.g. ‘€ 30.000,00 per jaar, telt 24 maanden’."""
        from monitoring.values import block_value_label

        return block_value_label(self)


class Bonus(models.Model):
    """An addition to per-year blocks of a version (e.g. 50-plus, permanent contract, status holder)."""

    class Kind(models.TextChoices):
        AGE = "age", _("leeftijd")
        PERMANENT_CONTRACT = "permanent_contract", _("vast contract")
        STATUS_HOLDER = "status_holder", _("statushouder of taalachterstand")
        OTHER = "other", _("overig")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        CatalogueVersion, verbose_name=_("versie"), on_delete=models.PROTECT, related_name="bonuses"
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    value = models.DecimalField(
        _("waarde per jaar"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Komt bovenop een bouwblok ‘per jaar’, naar rato van uren en maanden zoals dat bouwblok."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("vanaf leeftijd"),
        null=True,
        blank=True,
        validators=[MinValueValidator(15), MaxValueValidator(80)],
        help_text=_("Alleen bij een leeftijdsbonus; dan is het geboortejaar van de kandidaat nodig."),
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("bonus")
        verbose_name_plural = _("bonussen")
        ordering = ["version", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="bonus_unique_name_per_version"),
            models.CheckConstraint(condition=Q(value__gte=0), name="bonus_value_not_negative"),
            models.CheckConstraint(
                condition=(Q(kind="age") & Q(min_age__isnull=False)) | (~Q(kind="age") & Q(min_age__isnull=True)),
                name="bonus_min_age_only_for_age",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        refuse_frozen_version(self)

    @property
    def needs_birth_year(self) -> bool:
        return self.kind == self.Kind.AGE


# Follow-up of handed-over contracts --------------------------------------------------------------


class ContractScopedQuerySet(TenantQuerySet):
    def visible_to(self, user) -> ContractScopedQuerySet:
        """Return the rows of handed-over contracts ``user`` may see.

        That is the owning organisation's members and the coordinators of the service point that
        serves it (``Contract.objects.visible_to``); drafts have no follow-up rows at all.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(contract__in=Contract.objects.visible_to(user).values("pk"))


class ContractFollowUp(models.Model):
    """The coordinator's side of a handed-over contract: pinned catalogue version, who follows it up,
    the reporting rhythm and the final outcome. Created at handover (see ``monitoring.signals``)."""

    class Rhythm(models.TextChoices):
        MONTHLY = "monthly", _("per maand")
        QUARTERLY = "quarterly", _("per kwartaal")
        HALF_YEARLY = "half_yearly", _("per halfjaar")
        YEARLY = "yearly", _("per jaar")

    class Outcome(models.TextChoices):
        REALISED = "realised", _("gerealiseerd")
        PARTLY = "partly", _("deels gerealiseerd")
        NOT_REALISED = "not_realised", _("niet gerealiseerd")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "wizzr.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    contract = models.OneToOneField(
        Contract, verbose_name=_("inkoopcontract"), on_delete=models.CASCADE, related_name="follow_up"
    )
    catalogue_version = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("versie bouwblokkenmodel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("SROI-coördinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_contracts",
    )
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporting_rhythm = models.CharField(
        _("rapportageritme"), max_length=12, choices=Rhythm.choices, default=Rhythm.QUARTERLY
    )
    agreements_recorded_at = models.DateTimeField(_("afspraken vastgelegd op"), null=True, blank=True)
    # The outcome itself lives in ``Settlement``; this is when and by whom the follow-up was closed.
    closed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContractScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("opvolging inkoopcontract")
        verbose_name_plural = _("opvolging inkoopcontracten")

    def __str__(self) -> str:
        return str(self.contract)


class Settlement(TenantOwned):
    """The outcome of a contract's SROI obligation, its one place: outcome and shortfall, an optional
    recovery period, then the final outcome with any withholding. Amounts are stored as they were
    when recorded. Written only through ``monitoring.services`` (the coordinator closing a contract,
    or the settlement after the supplier's final report)."""

    class State(models.TextChoices):
        RECOVERY = "recovery", _("herstelperiode")
        SETTLED = "settled", _("afgerond")

    Outcome = ContractFollowUp.Outcome

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.OneToOneField(
        Contract, verbose_name=_("inkoopcontract"), on_delete=models.CASCADE, related_name="settlement"
    )
    state = models.CharField(_("stand"), max_length=10, choices=State.choices)
    obligation = models.DecimalField(_("SROI-verplichting"), max_digits=14, decimal_places=2)
    outcome = models.CharField(_("resultaat"), max_length=12, choices=Outcome.choices)
    approved = models.DecimalField(_("goedgekeurde waarde"), max_digits=14, decimal_places=2)
    shortfall = models.DecimalField(_("tekort"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("toelichting"), blank=True)
    recovery_deadline = models.DateField(_("einde herstelperiode"), null=True, blank=True)
    final_outcome = models.CharField(_("eindresultaat"), max_length=12, choices=Outcome.choices, blank=True)
    final_approved = models.DecimalField(
        _("goedgekeurde waarde na herstelperiode"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    final_shortfall = models.DecimalField(_("tekort na herstelperiode"), max_digits=14, decimal_places=2, null=True, blank=True)
    withholding_amount = models.DecimalField(
        _("inhouding of boete"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    withholding_reason = models.TextField(_("reden inhouding"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    settled_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    objects = ContractScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("eindafrekening SROI")
        verbose_name_plural = _("eindafrekeningen SROI")
        constraints = [
            models.CheckConstraint(condition=Q(shortfall__gte=0), name="settlement_shortfall_not_negative"),
            models.CheckConstraint(
                condition=Q(withholding_amount__isnull=True) | Q(withholding_amount__gte=0),
                name="settlement_withholding_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(withholding_amount__isnull=True) | Q(withholding_amount=0) | ~Q(withholding_reason=""),
                name="settlement_withholding_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="recovery") | Q(recovery_deadline__isnull=False),
                name="settlement_recovery_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(state="settled") | ~Q(final_outcome=""), name="settlement_settled_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract}: {self.get_outcome_display()}"

    @property
    def current_shortfall(self):
        return self.final_shortfall if self.final_shortfall is not None else self.shortfall


class ContractStatusChange(TenantOwned):
    """One move of a contract's status, with who and when: the timeline of the follow-up."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("van"), max_length=20, choices=Contract.Status.choices)
    to_status = models.CharField(_("naar"), max_length=20, choices=Contract.Status.choices)
    outcome = models.CharField(
        _("resultaat"), max_length=12, choices=ContractFollowUp.Outcome.choices, blank=True
    )
    reason = models.TextField(_("toelichting"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("op"), default=timezone.now)

    objects = ContractScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["contract", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.contract}: {self.from_status} → {self.to_status}"


class Agreement(TenantOwned):
    """An SR-invullingsafspraak: a planned activity on a block of the contract's pinned version."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(
        Contract, verbose_name=_("inkoopcontract"), on_delete=models.CASCADE, related_name="agreements"
    )
    block = models.ForeignKey(
        BuildingBlock, verbose_name=_("bouwblok"), on_delete=models.PROTECT, related_name="agreements"
    )
    description = models.TextField(_("omschrijving"))
    persons = models.PositiveSmallIntegerField(_("aantal personen"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1, null=True, blank=True)
    months = models.DecimalField(_("aantal maanden"), max_digits=5, decimal_places=1, null=True, blank=True)
    hours = models.DecimalField(_("aantal uren"), max_digits=8, decimal_places=1, null=True, blank=True)
    invoice_amount = models.DecimalField(
        _("factuurbedrag excl. btw"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    bonuses = models.ManyToManyField(Bonus, verbose_name=_("bonussen"), blank=True, related_name="agreements")
    planned_value = models.DecimalField(_("geplande waarde"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContractScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("SR-invullingsafspraak")
        verbose_name_plural = _("SR-invullingsafspraken")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_value__gte=0), name="agreement_value_not_negative"),
            models.CheckConstraint(condition=Q(persons__isnull=True) | Q(persons__gte=1), name="agreement_persons_positive"),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | (Q(hours_per_week__gt=0) & Q(hours_per_week__lte=60)),
                name="agreement_hours_per_week_0_60",
            ),
            models.CheckConstraint(condition=Q(months__isnull=True) | Q(months__gt=0), name="agreement_months_positive"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gt=0), name="agreement_hours_positive"),
            models.CheckConstraint(
                condition=Q(invoice_amount__isnull=True) | Q(invoice_amount__gte=0),
                name="agreement_invoice_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.block.name}: {self.description[:60]}"


class Realisation(TenantOwned):
    """A gerealiseerde invulling: what was actually done, submitted and then assessed.

    Candidates are people with a distance to the labour market: only a pseudonymous reference is
    kept, and a birth year only when an age bonus needs it. There is deliberately no BSN field.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("ingediend")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(
        Contract, verbose_name=_("inkoopcontract"), on_delete=models.CASCADE, related_name="realisations"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("SR-invullingsafspraak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="realisations",
    )
    block = models.ForeignKey(
        BuildingBlock, verbose_name=_("bouwblok"), on_delete=models.PROTECT, related_name="realisations"
    )
    period_start = models.DateField(_("periode van"))
    period_end = models.DateField(_("periode tot en met"))
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1, null=True, blank=True)
    hours = models.DecimalField(_("aantal uren"), max_digits=8, decimal_places=1, null=True, blank=True)
    invoice_amount = models.DecimalField(
        _("factuurbedrag excl. btw"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    candidate_reference = models.CharField(_("kenmerk kandidaat"), max_length=20, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"), null=True, blank=True)
    bonuses = models.ManyToManyField(Bonus, verbose_name=_("bonussen"), blank=True, related_name="realisations")
    months = models.DecimalField(_("maanden"), max_digits=5, decimal_places=2, default=ZERO)
    counted_months = models.DecimalField(_("meegetelde maanden"), max_digits=5, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("waarde"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("ingediend op"), default=timezone.now)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContractScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gerealiseerde invulling")
        verbose_name_plural = _("gerealiseerde invullingen")
        ordering = ["period_start", "created_at", "pk"]
        indexes = [models.Index(fields=["contract", "status"], name="realisation_contr_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="realisation_period_in_order"),
            models.CheckConstraint(condition=Q(value__gte=0), name="realisation_value_not_negative"),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | (Q(hours_per_week__gt=0) & Q(hours_per_week__lte=60)),
                name="realisation_hours_per_week_0_60",
            ),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gt=0), name="realisation_hours_positive"),
            models.CheckConstraint(
                condition=Q(invoice_amount__isnull=True) | Q(invoice_amount__gte=0),
                name="realisation_invoice_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | (Q(birth_year__gte=1940) & Q(birth_year__lte=2015)),
                name="realisation_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="realisation_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.block.name} {self.period_start:%d-%m-%Y}–{self.period_end:%d-%m-%Y}"

    @property
    def is_locked(self) -> bool:
        """An approved realisation is final; submitted and rejected ones can still be corrected."""
        return self.status == self.Status.APPROVED


class Assessment(models.Model):
    """One assessment of a realisation (approved or rejected with a reason), kept for the record."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("wizzr.Organisation", on_delete=models.PROTECT, related_name="+", db_index=True)
    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="assessments")
    decision = models.CharField(_("beoordeling"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reden"), blank=True)
    value = models.DecimalField(_("waarde"), max_digits=14, decimal_places=2)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["assessed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="rejected") | ~Q(reason=""), name="assessment_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.realisation}: {self.decision}"


def evidence_root() -> Path:
    """The folder holding evidence files: inside PRIVATE_MEDIA_ROOT, never served directly."""
    return Path(settings.PRIVATE_MEDIA_ROOT) / "evidence"


class EvidenceQuerySet(TenantQuerySet):
    def visible_to(self, user) -> EvidenceQuerySet:
        """Return the evidence files of realisations ``user`` may see."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(realisation__contract__in=Contract.objects.visible_to(user).values("pk"))


class Evidence(ScannedFile):
    """A document that proves a realisation; stored under a random name outside any served folder."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("wizzr.Organisation", on_delete=models.PROTECT, related_name="+", db_index=True)
    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    display_name = models.CharField(_("bestandsnaam"), max_length=255)
    size = models.PositiveBigIntegerField(_("grootte"))
    content_type = models.CharField(_("bestandstype"), max_length=100)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ["uploaded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def path(self) -> Path:
        return evidence_root() / self.stored_name


class Reminder(TenantOwned):
    """A reminder sent once to a coordinator; ``key`` makes "once" a database guarantee."""

    class Kind(models.TextChoices):
        NO_AGREEMENTS = "no_agreements", _("nog geen afspraken na 14 dagen")
        BELOW_OBLIGATION = "below_obligation", _("loopt binnen 30 dagen af onder de verplichting")
        NO_FINAL_ASSESSMENT = "no_final_assessment", _("looptijd voorbij zonder eindbeoordeling")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sroi_reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContractScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key


class ContractTotal(models.Model):
    """Per contract: the sums of its agreements (planned) and of its approved and submitted realisations.

    Kept by PostgreSQL triggers on ``monitoring_agreement`` and ``monitoring_realisation``
    (migration 0004), so every write path keeps it right, bulk updates included. Lists sort and
    filter on these figures without summing 100,000 realisations per request. Read-only for Python.
    """

    # The foreign keys of both total tables are declared in SQL (ON DELETE CASCADE): Django must not
    # delete these rows itself, or the triggers of a contract's realisations, deleted after them,
    # would write them again.
    contract = models.OneToOneField(
        Contract, on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="totals"
    )
    planned = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    approved = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    submitted = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = _("totaal per contract")
        verbose_name_plural = _("totalen per contract")

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.planned} / {self.approved} / {self.submitted}"


class ContractBlockTotal(models.Model):
    """The same sums per contract and building block (for the figures per category)."""

    # The unique constraint indexes (contract, block); nothing looks totals up by block alone.
    contract = models.ForeignKey(
        Contract, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    block = models.ForeignKey(
        BuildingBlock, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    planned = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    approved = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    submitted = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = _("totaal per contract en bouwblok")
        verbose_name_plural = _("totalen per contract en bouwblok")
        constraints = [models.UniqueConstraint(fields=["contract", "block"], name="contractblocktotal_unique")]

    def __str__(self) -> str:
        return f"{self.contract_id}/{self.block_id}: {self.planned} / {self.approved} / {self.submitted}"


class BenchmarkFigure(models.Model):
    """One cell of the benchmark across contracting authorities, computed each night by
    ``monitoring.benchmarks.benchmarks_compute``: the 25th percentile, median and 75th percentile of
    one measure over the contributing authorities of a region or of the whole country, per kind of
    contract ("" is all kinds). The percentiles are empty when fewer than ``MIN_ORGANISATIONS``
    contributed; ``n_organisations`` is always stored, so the page can say how many there were.
    """

    class Scope(models.TextChoices):
        REGION = "region", _("regio")
        COUNTRY = "country", _("Nederland")

    scope = models.CharField(_("bereik"), max_length=10, choices=Scope.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("soort opdracht"), max_length=10, blank=True)
    measure = models.CharField(_("maatstaf"), max_length=40)
    n_organisations = models.PositiveIntegerField(_("aantal organisaties"))
    p25 = models.DecimalField(_("25e percentiel"), max_digits=7, decimal_places=2, null=True, blank=True)
    median = models.DecimalField(_("mediaan"), max_digits=7, decimal_places=2, null=True, blank=True)
    p75 = models.DecimalField(_("75e percentiel"), max_digits=7, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(_("berekend op"))

    class Meta:
        verbose_name = _("benchmarkcijfer")
        verbose_name_plural = _("benchmarkcijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "region", "kind", "measure"], name="benchmarkfigure_unique_cell", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(scope="region", region__isnull=False) | Q(scope="country", region__isnull=True),
                name="benchmarkfigure_region_matches_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.region_id or '-'}/{self.kind or 'all'}/{self.measure}: n={self.n_organisations}"
