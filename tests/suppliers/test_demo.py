"""The seed_demo hook of the registry."""

from io import StringIO

import pytest
from django.core.management.color import no_style

from suppliers.demo import DEMO_COUNT, seed_suppliers
from suppliers.models import Supplier
from suppliers.search import search_suppliers

pytestmark = pytest.mark.django_db


def test_the_demo_registry_has_a_few_thousand_suppliers_and_the_portal_company():
    seed_suppliers(stdout=StringIO(), style=no_style())
    assert Supplier.objects.count() >= DEMO_COUNT
    bouw = Supplier.objects.filter(kvk_number="12345678")
    assert bouw.count() == 3 and bouw.filter(is_main_branch=True, city="Arnhem").exists()
    assert bouw.first().legal_name.startswith("Bouwbedrijf ")
    assert search_suppliers("12345678").suppliers[0].legal_name == "Bouwbedrijf Van den Heuvel B.V."
    assert "Bouwbedrijf Van den Heuvel B.V." in [s.legal_name for s in search_suppliers("van den heuvel bouw").suppliers]


def test_running_it_again_changes_nothing():
    seed_suppliers(stdout=StringIO(), style=no_style())
    count = Supplier.objects.count()
    out = StringIO()
    seed_suppliers(stdout=out, style=no_style())
    assert Supplier.objects.count() == count
    assert "(0 added, 0 updated)" in out.getvalue()
