"""Demo data: organisations, users and (through the apps' hooks) their domain data. Idempotent."""

from __future__ import annotations

import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from wizzr.models import Membership, Organisation, Role, User

SERVICE_POINTS = [
    {
        "slug": "steunpunt-sroi-midden-gelderland",
        "name": "Steunpunt SROI Midden-Gelderland",
        "street": "Eusebiusbuitensingel 43",
        "postcode": "6828 HZ",
        "city": "Arnhem",
        "email": "info@steunpunt-mg.example",
        "phone": "026 123 45 67",
    },
    {
        "slug": "sroi-servicepunt-utrecht",
        "name": "SROI Servicepunt Regio Utrecht",
        "street": "Stadsplateau 1",
        "postcode": "3521 AZ",
        "city": "Utrecht",
        "email": "sroi@servicepunt-utrecht.example",
        "phone": "030 286 00 00",
    },
]

AUTHORITIES = [
    ("gemeente-arnhem", "Gemeente Arnhem", "steunpunt-sroi-midden-gelderland", "Koningstraat 38", "6811 DG", "Arnhem"),
    ("gemeente-renkum", "Gemeente Renkum", "steunpunt-sroi-midden-gelderland", "Generaal Urquhartlaan 4", "6861 GG", "Oosterbeek"),
    ("gemeente-rheden", "Gemeente Rheden", "steunpunt-sroi-midden-gelderland", "Dr. Peltlaan 12", "6951 BD", "Dieren"),
    ("gemeente-utrecht", "Gemeente Utrecht", "sroi-servicepunt-utrecht", "Stadsplateau 1", "3521 AZ", "Utrecht"),
]

# email, name, job title, [(organisation slug, role)], staff
USERS = [
    ("adviseur@arnhem.example", "Anouk de Vries", "Inkoopadviseur", [("gemeente-arnhem", Role.ADVISOR), ("gemeente-arnhem", Role.ORG_ADMIN)], False),
    ("adviseur@renkum.example", "Ruben Jansen", "Contractmanager", [("gemeente-renkum", Role.ADVISOR)], False),
    ("inkoop@mgb.example", "Mila Bakker", "Inkoopadviseur shared service", [("gemeente-arnhem", Role.ADVISOR), ("gemeente-rheden", Role.ADVISOR)], False),
    ("regisseur@steunpunt-mg.example", "Sanne Visser", "Regisseur Social Return", [("steunpunt-sroi-midden-gelderland", Role.COORDINATOR), ("steunpunt-sroi-midden-gelderland", Role.ORG_ADMIN)], False),
    ("adviseur@utrecht.example", "Daan Smit", "Inkoopadviseur", [("gemeente-utrecht", Role.ADVISOR)], False),
    ("beheer@wizzr.example", "Beheer WIZZR", "Functioneel beheerder", [], True),
]


class Command(BaseCommand):
    help = "Create the demo organisations, users and data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo only runs with DEBUG on; use --force to run it anyway.")
        password = os.environ.get("DEMO_PASSWORD", "wizzr-demo-2026")
        with transaction.atomic():
            service_points = {}
            for data in SERVICE_POINTS:
                sp, _ = Organisation.objects.update_or_create(
                    slug=data["slug"], defaults={**data, "kind": Organisation.Kind.SERVICE_POINT}
                )
                service_points[sp.slug] = sp
            organisations = dict(service_points)
            for slug, name, served_by, street, postcode, city in AUTHORITIES:
                org, _ = Organisation.objects.update_or_create(
                    slug=slug,
                    defaults={
                        "name": name,
                        "kind": Organisation.Kind.AUTHORITY,
                        "served_by": service_points[served_by],
                        "street": street,
                        "postcode": postcode,
                        "city": city,
                    },
                )
                organisations[slug] = org
            for email, name, job_title, memberships, staff in USERS:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(email=email, password=password, name=name)
                user.name = name
                user.job_title = job_title
                user.phone = user.phone or "06 1234 5678"
                user.is_staff = staff
                user.is_superuser = staff
                user.save()
                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
                for slug, role in memberships:
                    Membership.objects.get_or_create(user=user, organisation=organisations[slug], role=role)
        # Apps extend the demo by listing "module.function" callables in WIZZR_SEED_HOOKS; each takes
        # (stdout, style). Read when the command runs, so that a settings override applies.
        for hook in getattr(settings, "WIZZR_SEED_HOOKS", []):
            import_string(hook)(stdout=self.stdout, style=self.style)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(USERS)} logins, password from DEMO_PASSWORD."))
