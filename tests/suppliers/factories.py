"""Registry factories. Suppliers are national reference data: no organisation to inherit."""

import datetime
import uuid

import factory
from django.utils import timezone

from suppliers.models import PsoCertificate, Supplier


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    legal_name = factory.Sequence(lambda n: f"Testbedrijf {n} B.V.")
    kvk_number = factory.Sequence(lambda n: f"{60000000 + n:08d}")
    branch_number = factory.Sequence(lambda n: f"{200000000000 + n:012d}")
    is_main_branch = True
    street = "Industrieweg"
    house_number = "12"
    postcode = "6827 AB"
    city = "Arnhem"
    phone = "026 765 43 21"
    email = factory.Sequence(lambda n: f"info{n}@testbedrijf.example")


class PsoCertificateFactory(factory.django.DjangoModelFactory):
    """A checked PSO certificate row (its file is not written; pages only link to it)."""

    class Meta:
        model = PsoCertificate

    kvk_number = factory.Sequence(lambda n: f"{70000000 + n:08d}")
    level = PsoCertificate.Level.STEP_2
    valid_from = datetime.date(2025, 1, 1)
    valid_until = datetime.date(2027, 12, 31)
    stored_name = factory.LazyFunction(lambda: uuid.uuid4().hex)
    display_name = "pso-certificaat.pdf"
    size = 1234
    content_type = "application/pdf"
    sha256 = "0" * 64
    checked_at = factory.LazyFunction(timezone.now)
