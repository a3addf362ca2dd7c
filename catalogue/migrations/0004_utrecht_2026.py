"""Ship Gemeente Utrecht's current building-block table as the published version "Utrecht 2026".

Contracts handed over from 1 January 2026 pin this version; older contracts keep "Utrecht 2023"
and their figures. Values are for a full-time (36 hours a week) year contract unless said otherwise;
the table names no counting duration, so the per-year blocks count always, like the older version.
Re-running only updates the shipped rows.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

REGION_SLUG = "utrecht"
LABEL = "Utrecht 2026"
VALID_FROM = date(2026, 1, 1)
NOTES = (
    "Actuele tabel van de Gemeente Utrecht (Bouwblokkenmodel social return). Inspanningswaarden op basis "
    "van een voltijds jaarcontract van 36 uur per week, tenzij anders vermeld. Geldt voor contracten die "
    "vanaf 1 januari 2026 zijn overgedragen; oudere contracten houden ‘Utrecht 2023’."
)

INVOICE = "Bewijs: de factuur (nummer, datum, bedrag excl. btw)."

# (name, category, unit, value, counting_months, description)
BLOCKS = [
    ("Participatiewet, uitkering korter dan 2 jaar", "employment", "per_year", "30000", None, ""),
    ("Participatiewet, uitkering langer dan 2 jaar", "employment", "per_year", "40000", None, ""),
    ("WW, uitkering korter dan 1 jaar", "employment", "per_year", "15000", None, ""),
    ("WW, uitkering langer dan 1 jaar", "employment", "per_year", "20000", None, ""),
    ("WIA/WAO", "employment", "per_year", "30000", None, ""),
    ("Doelgroep banenafspraak", "employment", "per_year", "35000", None, ""),
    ("BBL-traject", "learn_work", "per_year", "15000", None, ""),
    ("BOL-traject", "internship", "per_year", "10000", None, ""),
    ("Niet-uitkeringsgerechtigd", "employment", "per_year", "10000", None, ""),
    (
        "Maatschappelijke activiteit: hulp of kennis voor een lokaal initiatief", "social_activity", "per_hour",
        "100", None, "Per gewerkt uur per medewerker. Bewijs: een urenopgave bevestigd door het initiatief.",
    ),
    (
        "Afname bij een sociale onderneming", "social_purchasing", "invoice_percentage", "100", None,
        "De gefactureerde activiteit telt voor 100 % van het factuurbedrag excl. btw. " + INVOICE,
    ),
    (
        "Wsw-inzet via het SW-bedrijf (betaalde facturen)", "social_purchasing", "invoice_percentage", "100", None,
        "Detachering of diensten van het SW-bedrijf, zonder eigen dienstverband: de betaalde facturen excl. btw "
        "tellen voor 100 %. Bewijs: de betaalde factuur van het SW-bedrijf.",
    ),
]

# (name, kind, value, min_age)
BONUSES = [
    ("Bonus vast dienstverband", "permanent_contract", "10000", None),
    ("Bonus werkzoekende van 50 jaar of ouder", "age", "5000", 50),
]


def ship(apps, schema_editor):
    Catalogue = apps.get_model("catalogue", "Catalogue")
    CatalogueVersion = apps.get_model("catalogue", "CatalogueVersion")
    BuildingBlock = apps.get_model("catalogue", "BuildingBlock")
    Bonus = apps.get_model("catalogue", "Bonus")
    catalogue = Catalogue.objects.filter(region__slug=REGION_SLUG).first()
    if catalogue is None:
        return
    version, _ = CatalogueVersion.objects.update_or_create(
        catalogue=catalogue,
        label=LABEL,
        defaults={"valid_from": VALID_FROM, "notes": NOTES, "status": "published"},
    )
    for position, (name, category, unit, value, counting_months, description) in enumerate(BLOCKS, 1):
        BuildingBlock.objects.update_or_create(
            version=version,
            name=name,
            defaults={
                "category": category,
                "unit": unit,
                "value": Decimal(value),
                "counting_months": counting_months,
                "description": description,
                "position": position * 10,
            },
        )
    for position, (name, kind, value, min_age) in enumerate(BONUSES, 1):
        Bonus.objects.update_or_create(
            version=version,
            name=name,
            defaults={"kind": kind, "value": Decimal(value), "min_age": min_age, "position": position * 10},
        )


def unship(apps, schema_editor):
    """Remove the version again; refused (protected) once a contract pins it."""
    CatalogueVersion = apps.get_model("catalogue", "CatalogueVersion")
    version = CatalogueVersion.objects.filter(catalogue__region__slug=REGION_SLUG, label=LABEL).first()
    if version is None:
        return
    version.blocks.all().delete()
    version.bonuses.all().delete()
    version.delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_oost_nederland_social_blocks")]

    operations = [migrations.RunPython(ship, unship)]
