"""Demo registry for seed_demo (a ``WIZZR_SEED_HOOKS`` entry, run before the contracts hook).

A few thousand synthetic establishments plus a handful of fixed companies the demo relies on, among
them the construction company of the supplier portal (KvK 12345678). Idempotent.
"""

from __future__ import annotations

from suppliers.importer import COLUMNS, import_rows, rows_from_iterable
from suppliers.models import Supplier
from suppliers.synthetic import Registry

DEMO_COUNT = 3000
DEMO_SEED = 2026

# kvk, branch, legal name, trade name, main branch, street, number, postcode, place, phone, e-mail, website
FIXED = [
    ["12345678", "000012345678", "Bouwbedrijf Van den Heuvel B.V.", "Van den Heuvel Bouw", "ja", "Westervoortsedijk",
     "71", "6827 AT", "Arnhem", "026 384 20 00", "info@vandenheuvelbouw.example", "https://www.vandenheuvelbouw.example"],
    ["12345678", "000012345679", "Bouwbedrijf Van den Heuvel B.V.", "Van den Heuvel Bouw Nijmegen", "nee", "Energieweg",
     "12", "6541 CX", "Nijmegen", "024 373 11 00", "nijmegen@vandenheuvelbouw.example", "https://www.vandenheuvelbouw.example"],
    ["12345678", "000012345680", "Bouwbedrijf Van den Heuvel B.V.", "Van den Heuvel Bouw Ede", "nee", "Proosdijerveldweg",
     "5", "6716 BX", "Ede", "0318 62 40 00", "ede@vandenheuvelbouw.example", "https://www.vandenheuvelbouw.example"],
    ["23456789", "000023456789", "Schoonmaakbedrijf Proper Oost B.V.", "Proper Oost", "ja", "Kleefsestraat",
     "8", "6811 BV", "Arnhem", "026 442 10 10", "info@properoost.example", ""],
    ["34567890", "000034567890", "Café 't Hoekje V.O.F.", "", "ja", "Utrechtseweg", "120", "6871 DR", "Renkum",
     "0317 31 22 33", "", ""],
    ["45678901", "000045678901", "Groenvoorziening De Linde B.V.", "De Linde Hoveniers", "ja", "Stationsweg", "2",
     "6861 EG", "Oosterbeek", "026 333 44 55", "info@delinde.example", "https://www.delinde.example"],
]


def seed_suppliers(*, stdout, style) -> None:
    report = import_rows(rows_from_iterable(Registry(DEMO_COUNT, DEMO_SEED)), columns=COLUMNS)
    fixed = import_rows(rows_from_iterable(FIXED), columns=COLUMNS)
    total = Supplier.objects.filter(is_active=True).count()
    stdout.write(
        style.SUCCESS(
            f"Supplier registry: {total} active establishments "
            f"({report.inserted + fixed.inserted} added, {report.updated + fixed.updated} updated)."
        )
    )
