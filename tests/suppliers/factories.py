"""Registry factories. Suppliers are national reference data: no organisation to inherit."""

import factory

from suppliers.models import Supplier


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
