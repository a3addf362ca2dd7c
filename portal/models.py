"""The supplier portal: which supplier users may follow which contract, the reporting periods in
which they account for their realisations. The outcome at the end of the term (shortfall, recovery
period, withholding) is monitoring's ``Settlement``; the portal records it through
``monitoring.services``.

A supplier company is an ``Organisation`` of kind supplier, linked to the registry establishments
of the contract by KvK number. Being a member of that organisation is not enough to see a contract:
a coordinator invites a person per contract (``SupplierAccess``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from monitoring.models import ContractScopedQuerySet, Realisation
from wizzr.models import Role, TenantOwned, TenantQuerySet


class SupplierAccessQuerySet(TenantQuerySet):
    def visible_to(self, user) -> SupplierAccessQuerySet:
        """Return the active accesses of ``user`` themself: invited to the contract, still a supplier
        member of the company, and the company is the contract's supplier (by KvK number)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            user=user,
            revoked_at__isnull=True,
            organisation__memberships__user=user,
            organisation__memberships__role=Role.SUPPLIER,
            organisation__kvk_number=F("contract__supplier__kvk_number"),
        ).exclude(contract__status=Contract.Status.DRAFT).distinct()


class SupplierAccess(models.Model):
    """A supplier contact invited to follow one contract. ``user`` is set once the invitation is accepted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "wizzr.Organisation", verbose_name=_("opdrachtnemer"), on_delete=models.CASCADE, related_name="supplier_accesses"
    )
    contract = models.ForeignKey(
        Contract, verbose_name=_("inkoopcontract"), on_delete=models.CASCADE, related_name="supplier_accesses"
    )
    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="supplier_accesses",
    )
    invitation = models.ForeignKey(
        "wizzr.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="supplier_accesses"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uitgenodigd door"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = SupplierAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("toegang opdrachtnemer")
        verbose_name_plural = _("toegang opdrachtnemers")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "user"], condition=Q(user__isnull=False), name="supplieraccess_unique_user"
            ),
        ]
        indexes = [models.Index(fields=["contract", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.contract}"

    @property
    def is_pending(self) -> bool:
        return self.user_id is None


class ReportingPeriod(TenantOwned):
    """One report the supplier owes: a regular period of the rhythm, the final report (due one month
    after the end date) or the report of a recovery period."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("periodieke rapportage")
        FINAL = "final", _("eindrapportage")
        RECOVERY = "recovery", _("rapportage herstelperiode")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        OVERDUE = "overdue", _("te laat")
        SUBMITTED = "submitted", _("ingediend")
        ASSESSED = "assessed", _("beoordeeld")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(
        Contract, verbose_name=_("inkoopcontract"), on_delete=models.CASCADE, related_name="reporting_periods"
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    period_start = models.DateField(_("periode van"))
    period_end = models.DateField(_("periode tot en met"))
    due_date = models.DateField(_("uiterlijk in te dienen op"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    nothing_to_report = models.BooleanField(_("niets te melden"), default=False)
    nothing_reason = models.TextField(_("toelichting niets te melden"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    opened_at = models.DateTimeField(_("geopend op"), default=timezone.now)
    reminded_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("melding te laat verstuurd op"), null=True, blank=True)

    objects = ContractScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapportageperiode")
        verbose_name_plural = _("rapportageperiodes")
        ordering = ["contract", "period_start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period_start", "kind"], name="reportingperiod_unique_start"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="reportingperiod_in_order"),
            models.CheckConstraint(
                condition=Q(nothing_to_report=False) | ~Q(nothing_reason=""),
                name="reportingperiod_nothing_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "overdue"]) | Q(submitted_at__isnull=False),
                name="reportingperiod_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.contract_number} {self.period_start:%d-%m-%Y}–{self.period_end:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        """Open for new realisations and for submission (also when it is late)."""
        return self.status in (self.Status.OPEN, self.Status.OVERDUE)


class PeriodRealisation(models.Model):
    """Which reporting period a supplier-entered realisation was submitted for."""

    organisation = models.ForeignKey("wizzr.Organisation", on_delete=models.PROTECT, related_name="+", db_index=True)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="entries")
    realisation = models.OneToOneField(Realisation, on_delete=models.CASCADE, related_name="reporting_entry")

    class Meta:
        verbose_name = _("realisatie in rapportageperiode")
        verbose_name_plural = _("realisaties in rapportageperiodes")

    def __str__(self) -> str:
        return f"{self.period}: {self.realisation}"
