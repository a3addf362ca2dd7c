"""The national supplier registry: one row per establishment (vestiging) of a KvK-registered company.

This is reference data shared by every tenant; it knows nothing of contracts.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Supplier(models.Model):
    class Source(models.TextChoices):
        REGISTRY = "registry", _("registerimport")
        USER = "user", _("toegevoegd door gebruiker")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legal_name = models.CharField(_("statutaire naam"), max_length=200)
    trade_name = models.CharField(_("handelsnaam"), max_length=200, blank=True)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8)
    branch_number = models.CharField(_("vestigingsnummer"), max_length=12, blank=True)
    is_main_branch = models.BooleanField(_("hoofdvestiging"), default=False)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    website = models.URLField(_("website"), blank=True)
    source = models.CharField(_("bron"), max_length=10, choices=Source.choices, default=Source.REGISTRY)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("toegevoegd door"),
    )
    added_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)
    is_active = models.BooleanField(_("actief"), default=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_duplicates",
        verbose_name=_("samengevoegd met"),
    )

    class Meta:
        verbose_name = _("opdrachtnemer")
        verbose_name_plural = _("opdrachtnemers")
        constraints = [
            models.UniqueConstraint(fields=["kvk_number", "branch_number"], name="supplier_unique_kvk_branch"),
            models.CheckConstraint(condition=Q(kvk_number__regex=r"^[0-9]{8}$"), name="supplier_kvk_8_digits"),
            models.CheckConstraint(
                condition=Q(branch_number="") | Q(branch_number__regex=r"^[0-9]{12}$"),
                name="supplier_branch_12_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.city})" if self.city else self.display_name

    @property
    def display_name(self) -> str:
        return self.trade_name or self.legal_name

    @property
    def address_line(self) -> str:
        street = " ".join(part for part in [self.street, self.house_number] if part)
        place = " ".join(part for part in [self.postcode, self.city] if part)
        return ", ".join(part for part in [street, place] if part)
