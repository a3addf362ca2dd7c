"""The national supplier registry: one row per establishment (vestiging) of a KvK-registered company.

This is reference data shared by every tenant; it knows nothing of contracts.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wizzr.scanning import ScannedFile


def _search_key(field: str) -> Func:
    """The database's normalised form of ``field``: unaccented, lower case, only [a-z0-9] words.

    ``suppliers_normalise`` is an SQL function (suppliers/sql/normalise.sql) so that the generated columns, the
    word table, the bulk import and the search input are normalised by one and the same code.
    """
    return Func(F(field), function="suppliers_normalise", output_field=models.TextField(db_collation="C"))


class Supplier(models.Model):
    class Source(models.TextChoices):
        REGISTRY = "registry", _("registerimport")
        USER = "user", _("toegevoegd door gebruiker")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legal_name = models.CharField(_("statutaire naam"), max_length=200)
    trade_name = models.CharField(_("handelsnaam"), max_length=200, blank=True)
    # C collation: digit-prefix searches are B-tree range scans whatever the database's locale.
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, db_collation="C")
    branch_number = models.CharField(_("vestigingsnummer"), max_length=12, blank=True, db_collation="C")
    is_main_branch = models.BooleanField(_("hoofdvestiging"), default=False)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # The contact person the registry knows for this establishment (optional import columns).
    contact_name = models.CharField(_("naam contactpersoon"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=30, blank=True)
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
    # Search keys, computed by the database (see _search_key). C collation: byte order, so that a
    # prefix is one B-tree range scan that stops after the rows it needs.
    name_key = models.GeneratedField(
        expression=_search_key("legal_name"), output_field=models.TextField(db_collation="C"), db_persist=True
    )
    trade_key = models.GeneratedField(
        expression=_search_key("trade_name"), output_field=models.TextField(db_collation="C"), db_persist=True
    )
    city_key = models.GeneratedField(
        expression=_search_key("city"), output_field=models.TextField(db_collation="C"), db_persist=True
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
        indexes = [
            # Not partial: it also gives the admin list its order.
            models.Index(fields=["name_key", "id"], name="supplier_name_key_idx"),
            models.Index(
                fields=["trade_key", "id"], condition=Q(is_active=True) & ~Q(trade_name=""), name="supplier_trade_key_idx"
            ),
            models.Index(
                fields=["branch_number"], condition=Q(is_active=True) & ~Q(branch_number=""), name="supplier_branch_idx"
            ),
            models.Index(fields=["city_key", "name_key"], condition=Q(is_active=True), name="supplier_city_key_idx"),
            # The admin's exact lookups and its selective filters, inactive rows included.
            models.Index(fields=["postcode"], name="supplier_postcode_idx"),
            models.Index(fields=["branch_number"], name="supplier_branch_any_idx"),
            models.Index(fields=["name_key", "id"], condition=Q(is_active=False), name="supplier_inactive_name_idx"),
            models.Index(fields=["name_key", "id"], condition=~Q(source="registry"), name="supplier_added_name_idx"),
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

    @property
    def establishment_label(self) -> str:
        """The supplier as every later place names it: which establishment of the company it is.

        "Bouwbedrijf Van den Heuvel B.V., Arnhem (vestiging 000012345678)"; a main establishment is
        "(hoofdvestiging 000012345678)". One company (KvK number) can have several establishments.
        """
        label = f"{self.legal_name}, {self.city}" if self.city else self.legal_name
        establishment = establishment_text(self.branch_number, self.is_main_branch)
        return f"{label} ({establishment})" if establishment else label


def establishment_text(branch_number: str, is_main_branch: bool) -> str:
    """Which establishment of its company a supplier is: "vestiging 000012345678",
    "hoofdvestiging 000012345678", "hoofdvestiging", or "" when nothing tells."""
    kind = _("hoofdvestiging") if is_main_branch else _("vestiging")
    if branch_number:
        return f"{kind} {branch_number}"
    return str(kind) if is_main_branch else ""


class SupplierWord(models.Model):
    """One word of an active supplier's legal name, trade name or place: the word-start index.

    ``word >= 'arnh' AND word < 'arnh' || '~'`` ordered by (word, name_key) is a B-tree range scan
    that stops after the rows it needs, however many establishments are in Arnhem. The other
    columns ride along in the primary-key index (INCLUDE, migration 0002_search), so a search checks
    and ranks candidates on the index entry without visiting any table. Maintained by a database
    trigger on Supplier and rebuilt in bulk by the import (suppliers/sql/search.sql).
    """

    pk = models.CompositePrimaryKey("word", "name_key", "supplier_id")
    word = models.TextField(db_collation="C")
    name_key = models.TextField(db_collation="C")
    supplier_id = models.BigIntegerField()
    trade_key = models.TextField(db_collation="C", default="")
    city_key = models.TextField(db_collation="C", default="")
    # One bit per word of the establishment (hash of its first three letters): a search with
    # several words tests it before the strings.
    word_bits = models.BigIntegerField(default=0)
    is_main = models.BooleanField(default=False)
    # The first two digits of the postcode: the region the ranking prefers for the searcher.
    area = models.TextField(db_collation="C", default="")

    class Meta:
        verbose_name = "supplier word"

    def __str__(self) -> str:
        return self.word


class SearchWord(models.Model):
    """The vocabulary of the registry: each distinct word with the number of suppliers using it.

    Small (tens of thousands of words for millions of suppliers), with a trigram index, so a typo
    is mapped to real words first and those words are then looked up in SupplierWord. The
    frequencies let a search with several words start from the rarest one.
    """

    word = models.TextField(primary_key=True, db_collation="C")
    frequency = models.IntegerField(default=0)

    class Meta:
        verbose_name = "search word"
        indexes = [GistIndex(fields=["word"], opclasses=["gist_trgm_ops"], name="supplier_vocabulary_trgm")]

    def __str__(self) -> str:
        return self.word


def pso_certificate_root() -> Path:
    """The folder holding PSO certificate files: inside PRIVATE_MEDIA_ROOT, never served directly."""
    return Path(settings.PRIVATE_MEDIA_ROOT) / "pso_certificates"


class PsoCertificateQuerySet(models.QuerySet):
    def valid_on(self, day) -> PsoCertificateQuerySet:
        """The checked certificates that cover ``day`` (valid from and until both count)."""
        return self.filter(checked_at__isnull=False, valid_from__lte=day, valid_until__gte=day)

    def of_company(self, kvk_number: str) -> PsoCertificateQuerySet:
        return self.filter(kvk_number=kvk_number)


class PsoCertificate(ScannedFile):
    """A PSO certificate (Prestatieladder Socialer Ondernemen) of a company.

    A certificate covers the company (its KvK number), so every establishment of it. Only a
    certificate that a coordinator checked counts; the file is the evidence, kept outside any served
    folder like other uploads. ``organisation`` is the service point that recorded it.
    """

    class Level(models.TextChoices):
        STEP_1 = "step_1", _("trede 1")
        STEP_2 = "step_2", _("trede 2")
        STEP_3 = "step_3", _("trede 3")
        PSO_30 = "pso_30", _("30+")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, db_collation="C", db_index=True)
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"))
    organisation = models.ForeignKey(
        "wizzr.Organisation", verbose_name=_("vastgelegd door servicepunt"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    display_name = models.CharField(_("bestandsnaam"), max_length=255)
    size = models.PositiveBigIntegerField(_("grootte"))
    content_type = models.CharField(_("bestandstype"), max_length=100)
    sha256 = models.CharField(max_length=64, editable=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gecontroleerd door"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    checked_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vastgelegd door"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    objects = PsoCertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("PSO-certificaat")
        verbose_name_plural = _("PSO-certificaten")
        ordering = ["kvk_number", "-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kvk_number__regex=r"^[0-9]{8}$"), name="psocertificate_kvk_8_digits"),
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")),
                name="psocertificate_until_after_from",
                violation_error_message=_("De einddatum van de geldigheid moet na de begindatum liggen."),
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="psocertificate_not_empty"),
        ]

    def __str__(self) -> str:
        return f"PSO {self.get_level_display()} — KvK {self.kvk_number}"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError(
                {"valid_until": _("De einddatum van de geldigheid moet na de begindatum liggen.")}
            )

    @property
    def path(self) -> Path:
        return pso_certificate_root() / self.stored_name

    @property
    def is_checked(self) -> bool:
        return self.checked_at is not None

    def covers(self, day) -> bool:
        return self.is_checked and self.valid_from <= day <= self.valid_until
