"""Monitoring: the coordinator's follow-up of contracts.

A contract pins the catalogue version (``catalogue.models``) in force when it was handed over, and
the values of its agreements and realisations are stored when they are saved, so that a later
version (or a correction of a block) never changes the figures of older contracts.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Bonus, BuildingBlock, CatalogueVersion, Region
from contracts.models import Contract
from suppliers.models import Supplier
from wizzr.models import TenantOwned, TenantQuerySet
from wizzr.scanning import ScannedFile

ZERO = Decimal("0.00")


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
    # Social purchasing is accounted for per invoice of a social company from the registry; the
    # period of such a realisation is the invoice date. Empty for every other block.
    invoice_number = models.CharField(_("factuurnummer"), max_length=50, blank=True)
    invoice_date = models.DateField(_("factuurdatum"), null=True, blank=True)
    social_company = models.ForeignKey(
        Supplier,
        verbose_name=_("sociaal bedrijf"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_purchases",
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
            # An invoice is complete (number, date, company, an amount above zero) or there is none.
            models.CheckConstraint(
                condition=Q(social_company__isnull=True, invoice_number="", invoice_date__isnull=True)
                | (
                    Q(social_company__isnull=False, invoice_date__isnull=False, invoice_amount__gt=0)
                    & ~Q(invoice_number="")
                ),
                name="realisation_invoice_complete",
            ),
            models.CheckConstraint(
                condition=Q(invoice_date__isnull=True) | Q(period_start=F("invoice_date"), period_end=F("invoice_date")),
                name="realisation_invoice_dates_period",
            ),
            # An invoice counts once: its number is not used again for the same social company
            # (whatever the contract), unless the earlier realisation was rejected.
            models.UniqueConstraint(
                F("social_company"),
                Lower("invoice_number"),
                condition=Q(social_company__isnull=False) & ~Q(status="rejected"),
                name="realisation_invoice_once_per_company",
            ),
        ]

    def __str__(self) -> str:
        if self.invoice_number:
            return f"{self.block.name} {self.invoice_number} {self.period_start:%d-%m-%Y}"
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


class LastingOutcome(TenantOwned):
    """Whether the person of an approved employment realisation is still at work 6 or 12 months after
    the placement ended (``monitoring.lasting``): asked of the supplier, answered by a supplier contact
    or recorded by the coordinator. Data-minimised like the realisation: the answer's category only,
    the person known by the realisation's pseudonymous reference."""

    class Answer(models.TextChoices):
        WITH_EMPLOYER = "with_employer", _("aan het werk bij deze werkgever")
        ELSEWHERE = "elsewhere", _("aan het werk bij een andere werkgever")
        NOT_EMPLOYED = "not_employed", _("niet aan het werk")
        UNKNOWN = "unknown", _("niet bekend")

    class MonthsAfter(models.IntegerChoices):
        SIX = 6, _("6 maanden")
        TWELVE = 12, _("12 maanden")

    AT_WORK = (Answer.WITH_EMPLOYER, Answer.ELSEWHERE)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(
        Contract, verbose_name=_("inkoopcontract"), on_delete=models.CASCADE, related_name="lasting_outcomes"
    )
    realisation = models.ForeignKey(
        Realisation,
        verbose_name=_("gerealiseerde invulling"),
        on_delete=models.CASCADE,
        related_name="lasting_outcomes",
    )
    months_after = models.PositiveSmallIntegerField(_("maanden na de plaatsing"), choices=MonthsAfter.choices)
    due_on = models.DateField(_("te beantwoorden vanaf"))
    answer = models.CharField(_("nog aan het werk?"), max_length=15, choices=Answer.choices, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gemeld door"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("gemeld op"), null=True, blank=True)
    # Set by the daily run when the supplier contacts were asked, and when they were reminded.
    requested_at = models.DateTimeField(_("gevraagd op"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContractScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("blijvend resultaat")
        verbose_name_plural = _("blijvende resultaten")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["realisation", "months_after"], name="lastingoutcome_unique_moment"),
            models.CheckConstraint(condition=Q(months_after__in=[6, 12]), name="lastingoutcome_months_6_or_12"),
            models.CheckConstraint(
                condition=Q(answer="") | Q(reported_at__isnull=False), name="lastingoutcome_answer_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.realisation} +{self.months_after}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


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
    (migration 0002_contract_totals), so every write path keeps it right, bulk updates included. Lists sort and
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
