"""Ship the initial building-block catalogues: Oost-Nederland V05 (April 2023) and Utrecht.

Service points are linked to regions elsewhere (by administrators, or the demo seed), because
organisations are not reference data. Re-running only updates the shipped rows.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

CATALOGUES = [
    {
        "region": ("Oost-Nederland", "oost-nederland"),
        "catalogue": "Uniform Bouwblokkenmodel Oost-Nederland",
        "version": ("V05 april 2023", date(2023, 4, 1)),
        "notes": (
            "Uniform Bouwblokkenmodel van het SROI-convenant Oost-Nederland (55 gemeenten, de provincies "
            "Gelderland en Overijssel, waterschap Drents Overijsselse Delta). Inspanningswaarden, geen loon of "
            "uitkering. Overige bouwblokken van dit model voegt de beheerder toe."
        ),
        "blocks": [
            ("Participatiewet, uitkering korter dan 2 jaar", "employment", "per_year", "30000", 24, ""),
            ("Participatiewet, uitkering langer dan 2 jaar", "employment", "per_year", "40000", 24, ""),
            (
                "Participatiewet en Wajong (doelgroepregister), WIA/WAO, WSW, Beschut Werk",
                "employment", "per_year", "40000", None, "",
            ),
            ("WW, uitkering korter dan 1 jaar", "employment", "per_year", "10000", 12, ""),
            ("WW, uitkering langer dan 1 jaar", "employment", "per_year", "15000", 12, ""),
            ("Niet-uitkeringsgerechtigd (NUG)", "employment", "per_year", "10000", 12, ""),
            (
                "Werkervaringsplaats / proefplaatsing", "internship", "per_month", "750", None,
                "Telt voor de afgesproken periode.",
            ),
            ("BBL-leerling (leerwerkbaan), niveau 1 en 2", "learn_work", "per_learn_work_year", "20000", None, ""),
        ],
        "bonuses": [],
    },
    {
        "region": ("Utrecht", "utrecht"),
        "catalogue": "Bouwblokken Social Return regio Utrecht",
        "version": ("Utrecht 2023", date(2023, 1, 1)),
        "notes": "Op basis van een voltijds jaarcontract van 36 uur per week.",
        "blocks": [
            ("Participatiewet", "employment", "per_year", "40000", None, ""),
            ("Doelgroep banenafspraak", "employment", "per_year", "50000", None, ""),
            ("Praktijkleerplaats PrO/VSO, entreeopleiding", "internship", "per_year", "35000", None, ""),
            ("WIA/WAO", "employment", "per_year", "40000", None, ""),
            ("WW", "employment", "per_year", "20000", None, ""),
            ("MBO BBL niveau 2–4", "learn_work", "per_year", "35000", None, ""),
            ("MBO BOL niveau 2–4", "internship", "per_year", "20000", None, ""),
            ("Niet-uitkeringsgerechtigd", "employment", "per_year", "10000", None, ""),
            (
                "Hulp, ondersteuning of kennis voor een maatschappelijk initiatief", "social_activity", "per_hour",
                "100", None, "Per medewerkeruur.",
            ),
            (
                "Inkoop bij sociale ondernemingen / SW-bedrijven", "social_purchasing", "invoice_percentage", "100",
                None, "Factuurwaarde excl. btw, in overleg met het servicepunt.",
            ),
        ],
        "bonuses": [
            ("Bonus werkzoekende ouder dan 50 jaar", "age", "10000", 50),
            ("Bonus statushouder of taalachterstand", "status_holder", "10000", None),
            ("Bonus vast contract", "permanent_contract", "10000", None),
        ],
    },
]


def ship(apps, schema_editor):
    Region = apps.get_model("catalogue", "Region")
    Catalogue = apps.get_model("catalogue", "Catalogue")
    CatalogueVersion = apps.get_model("catalogue", "CatalogueVersion")
    BuildingBlock = apps.get_model("catalogue", "BuildingBlock")
    Bonus = apps.get_model("catalogue", "Bonus")
    for data in CATALOGUES:
        region_name, region_slug = data["region"]
        region, _ = Region.objects.update_or_create(slug=region_slug, defaults={"name": region_name})
        catalogue, _ = Catalogue.objects.update_or_create(region=region, defaults={"name": data["catalogue"]})
        label, valid_from = data["version"]
        version, _ = CatalogueVersion.objects.update_or_create(
            catalogue=catalogue,
            label=label,
            defaults={"valid_from": valid_from, "notes": data["notes"], "status": "published"},
        )
        for position, (name, category, unit, value, counting_months, description) in enumerate(data["blocks"], 1):
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
        for position, (name, kind, value, min_age) in enumerate(data["bonuses"], 1):
            Bonus.objects.update_or_create(
                version=version,
                name=name,
                defaults={"kind": kind, "value": Decimal(value), "min_age": min_age, "position": position * 10},
            )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
