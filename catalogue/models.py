"""Building-block catalogues: regional reference data shared by every tenant.

A region's catalogue has versions; a published version is frozen with its blocks and bonuses. The
apps that value activities pin a version to a contract and store the values they
compute with ``catalogue.values``, so that a later version never changes the figures of older
contracts. The catalogue itself knows no contracts.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.values import block_value_label
from wizzr.units import euro

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
    """One version of a catalogue. A draft is prepared in the admin (see ``catalogue.versions``);
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
    """Refuse a new or changed block, bonus or PSO discount of a published version (``part.clean``)."""
    if part.version_id is not None and CatalogueVersion.objects.published().filter(pk=part.version_id).exists():
        raise ValidationError(FROZEN_MESSAGE)
    if part.pk is not None:
        stored_version = type(part).objects.filter(pk=part.pk).values_list("version_id", flat=True).first()
        if stored_version and CatalogueVersion.objects.published().filter(pk=stored_version).exists():
            raise ValidationError(FROZEN_MESSAGE)


class BuildingBlock(models.Model):
    """A valued SROI activity in one catalogue version (see ``catalogue.values``)."""

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
        # The check constraints in words, by the field (the database refuses the same).
        errors = {}
        if self.unit == self.Unit.INVOICE_PERCENTAGE and self.value is not None and self.value > 100:
            errors["value"] = _("Een percentage van het factuurbedrag is ten hoogste 100.")
        if self.counting_months is not None and self.unit != self.Unit.PER_YEAR:
            errors["counting_months"] = _("Een telduur hoort alleen bij een bouwblok ‘per jaar’. Maak het veld leeg.")
        if errors:
            raise ValidationError(errors)

    @property
    def counts_always(self) -> bool:
        return self.unit == self.Unit.PER_YEAR and self.counting_months is None

    @property
    def takes_bonuses(self) -> bool:
        return self.unit == self.Unit.PER_YEAR

    @property
    def value_label(self) -> str:
        """The value with its unit in words, e.g. ‘€ 30.000,00 per jaar, telt 24 maanden’."""
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
        # The check constraint in words, by the field (the database refuses the same).
        if self.kind == self.Kind.AGE and self.min_age is None:
            raise ValidationError({"min_age": _("Vul de leeftijd in vanaf wanneer deze bonus geldt.")})
        if self.kind != self.Kind.AGE and self.min_age is not None:
            raise ValidationError(
                {"min_age": _("Een leeftijd hoort alleen bij een leeftijdsbonus. Maak het veld leeg.")}
            )

    @property
    def needs_birth_year(self) -> bool:
        return self.kind == self.Kind.AGE

    @property
    def value_label(self) -> str:
        """The yearly value in words, e.g. ‘+ € 5.000,00 per jaar’."""
        return _("+ %(amount)s per jaar") % {"amount": euro(self.value)}



class PsoDiscount(models.Model):
    """A region's rule for a PSO-certified supplier: the discount on the SROI obligation for a PSO
    level (trede 1–3, 30+), as a percentage. Part of a version, frozen with it when it is published;
    a version without rows gives no discount."""

    class Level(models.TextChoices):
        # The same values as the registry's certificate levels (``suppliers.PsoCertificate.Level``).
        STEP_1 = "step_1", _("trede 1")
        STEP_2 = "step_2", _("trede 2")
        STEP_3 = "step_3", _("trede 3")
        PSO_30 = "pso_30", _("30+")

    version = models.ForeignKey(
        CatalogueVersion, verbose_name=_("versie"), on_delete=models.PROTECT, related_name="pso_discounts"
    )
    level = models.CharField(_("PSO-niveau"), max_length=10, choices=Level.choices)
    percentage = models.DecimalField(
        _("korting op de verplichting (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("PSO-korting")
        verbose_name_plural = _("PSO-kortingen")
        ordering = ["version", "level"]
        constraints = [
            models.UniqueConstraint(fields=["version", "level"], name="psodiscount_unique_level_per_version"),
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100), name="psodiscount_percentage_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.percentage} %"

    def clean(self) -> None:
        refuse_frozen_version(self)


def pso_discount_for(*, version: CatalogueVersion | None, level: str) -> Decimal | None:
    """The discount percentage on the obligation that ``version`` gives a supplier with PSO ``level``;
    None when the version has no rule for that level (or there is no version)."""
    if version is None:
        return None
    return PsoDiscount.objects.filter(version=version, level=level).values_list("percentage", flat=True).first()
