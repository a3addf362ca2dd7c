"""python manage.py import_suppliers FILE.csv — load or update the registry from a CSV file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from suppliers.importer import COLUMNS, REPORT_LIMIT, ImportFileError, import_rows, read_csv


class Command(BaseCommand):
    help = (
        "Import establishments from a CSV file (UTF-8, ',' or ';' separated, first line the column names: "
        + ", ".join(COLUMNS)
        + "). Rows are matched on KvK number + branch number: new ones are inserted, changed ones updated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file to import")
        parser.add_argument("--delimiter", choices=[",", ";"], help="field separator (default: guessed from the header)")
        parser.add_argument("--quiet-rejections", action="store_true", help="only count rejected rows, do not list them")

    def handle(self, *args, file: str, delimiter: str | None, quiet_rejections: bool, **options):
        try:
            columns, records = read_csv(file, delimiter=delimiter)
        except FileNotFoundError as error:
            raise CommandError(f"File not found: {file}") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        verbose = options.get("verbosity", 1) > 1
        report = import_rows(records, columns=columns, progress=self.stdout.write if verbose else None)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows} rows read in {report.seconds:.1f} s: {report.inserted} inserted, "
                f"{report.updated} updated, {report.unchanged} unchanged, {report.rejected} rejected."
            )
        )
        if report.rejected and not quiet_rejections:
            for line, reason in report.rejections:
                self.stdout.write(f"  line {line}: {reason}")
            if report.rejected > len(report.rejections):
                self.stdout.write(f"  … and {report.rejected - REPORT_LIMIT} more rejected rows.")
