"""Add the social-purchasing blocks to the shipped Oost-Nederland version V05 (April 2023).

Purchasing from a company in the Register Code Sociale Ondernemingen counts for 100 % of the invoice
excl. VAT and from a Social Enterprise NL member for 50 % (known practice in the east); purchasing
from an SW company (its paid invoices) and from a PSO 30+-certified company count as social
purchasing for the full invoice. A per-hour block for social activity is not shipped: the model's
value for it was not available, so the administrator adds it in a new version once it is known.

The published version is frozen for edits in the admin; shipping reference data is the exception.
Re-running only updates the shipped rows.
"""

from decimal import Decimal

from django.db import migrations

REGION_SLUG = "oost-nederland"
VERSION_LABEL = "V05 april 2023"

EVIDENCE = "Bewijs: de factuur (nummer, datum, bedrag excl. btw) van de sociale onderneming."

BLOCKS = [
    (
        "Inkoop bij een onderneming in het Register Code Sociale Ondernemingen",
        "100",
        "Telt voor 100 % van het factuurbedrag excl. btw. " + EVIDENCE,
    ),
    (
        "Inkoop bij een lid van Social Enterprise NL",
        "50",
        "Telt voor 50 % van het factuurbedrag excl. btw. " + EVIDENCE,
    ),
    (
        "Inkoop bij een SW-bedrijf (betaalde facturen)",
        "100",
        "Telt voor 100 % van de betaalde facturen excl. btw aan het SW-bedrijf (detachering, diensten). "
        "Bewijs: de betaalde factuur van het SW-bedrijf.",
    ),
    (
        "Inkoop bij een PSO 30+-gecertificeerde onderneming",
        "100",
        "Telt voor 100 % van het factuurbedrag excl. btw, zolang de onderneming een geldig "
        "PSO 30+-certificaat heeft. " + EVIDENCE,
    ),
]

# The block positions follow the eight shipped in 0002 (10 … 80).
FIRST_POSITION = 90

OLD_NOTES = (
    "Uniform Bouwblokkenmodel van het SROI-convenant Oost-Nederland (55 gemeenten, de provincies "
    "Gelderland en Overijssel, waterschap Drents Overijsselse Delta). Inspanningswaarden, geen loon of "
    "uitkering. Overige bouwblokken van dit model voegt de beheerder toe."
)
NOTES = (
    OLD_NOTES + " De bouwblokken voor sociaal inkopen zijn toegevoegd: inkoop bij een onderneming in het "
    "Register Code Sociale Ondernemingen (100 %), bij een lid van Social Enterprise NL (50 %), bij een "
    "SW-bedrijf (betaalde facturen, 100 %) en bij een PSO 30+-gecertificeerde onderneming (100 %), steeds "
    "van het factuurbedrag excl. btw. Een bouwblok per uur voor maatschappelijke activiteit of kennisdeling "
    "ontbreekt nog: de waarde ervan in dit model is niet bekend."
)


def _version(apps):
    CatalogueVersion = apps.get_model("catalogue", "CatalogueVersion")
    return CatalogueVersion.objects.filter(catalogue__region__slug=REGION_SLUG, label=VERSION_LABEL).first()


def ship(apps, schema_editor):
    BuildingBlock = apps.get_model("catalogue", "BuildingBlock")
    version = _version(apps)
    if version is None:
        return
    for offset, (name, percentage, description) in enumerate(BLOCKS):
        BuildingBlock.objects.update_or_create(
            version=version,
            name=name,
            defaults={
                "category": "social_purchasing",
                "unit": "invoice_percentage",
                "value": Decimal(percentage),
                "counting_months": None,
                "description": description,
                "position": FIRST_POSITION + offset * 10,
            },
        )
    version.notes = NOTES
    version.save(update_fields=["notes"])


def unship(apps, schema_editor):
    BuildingBlock = apps.get_model("catalogue", "BuildingBlock")
    version = _version(apps)
    if version is None:
        return
    BuildingBlock.objects.filter(version=version, name__in=[name for name, _, _ in BLOCKS]).delete()
    version.notes = OLD_NOTES
    version.save(update_fields=["notes"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_shipped_catalogues")]

    operations = [migrations.RunPython(ship, unship)]
