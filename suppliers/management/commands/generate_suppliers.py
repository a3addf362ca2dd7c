"""python manage.py generate_suppliers --count N [--seed S] [--output FILE.csv]"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from suppliers.importer import COLUMNS, import_rows, rows_from_iterable, write_csv
from suppliers.synthetic import Registry


class Command(BaseCommand):
    help = (
        "Write a synthetic Dutch registry of N establishments: into the database (through the import, so "
        "existing KvK + branch numbers are updated) or, with --output, to a CSV file import_suppliers reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="number of establishments")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same registry)")
        parser.add_argument("--output", help="write CSV to this file ('-' for stdout) instead of the database")

    def handle(self, *args, count: int, seed: int, output: str | None, **options):
        rows = Registry(count, seed)
        if output:
            if output == "-":
                written = write_csv(rows, sys.stdout)
            else:
                with open(output, "w", encoding="utf-8", newline="") as target:
                    written = write_csv(rows, target)
            if output != "-":
                self.stdout.write(self.style.SUCCESS(f"{written} establishments written to {output}."))
            return
        report = import_rows(rows_from_iterable(rows), columns=COLUMNS)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows} establishments generated in {report.seconds:.1f} s: {report.inserted} inserted, "
                f"{report.updated} updated, {report.unchanged} unchanged, {report.rejected} rejected."
            )
        )
