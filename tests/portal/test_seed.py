"""seed_demo adds the supplier login with contracts in several states."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from monitoring.models import LastingOutcome, Settlement
from portal.models import ReportingPeriod, SupplierAccess
from wizzr.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_the_supplier_login_and_is_idempotent(settings, client):
    settings.WIZZR_SEED_HOOKS = [
        "suppliers.demo.seed_suppliers", "contracts.seed.seed_demo", "monitoring.seed.seed_demo", "portal.seed.seed_demo",
    ]
    call_command("seed_demo", "--force", stdout=io.StringIO())
    user = User.objects.get(email="leverancier@bouwbedrijf.example")
    assert user.check_password("wizzr-demo-2026")
    accesses = SupplierAccess.objects.filter(user=user)
    assert accesses.count() == 3
    assert {a.contract.supplier.kvk_number for a in accesses} == {"12345678"}
    statuses = set(ReportingPeriod.objects.values_list("status", flat=True))
    assert {"open", "overdue", "assessed", "submitted"} <= statuses
    # The portal's contract waits in its recovery period; the one monitoring's demo closed is settled.
    assert sorted(Settlement.objects.values_list("state", flat=True)) == ["recovery", "settled"]
    counts = (accesses.count(), ReportingPeriod.objects.count())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert (SupplierAccess.objects.filter(user=user).count(), ReportingPeriod.objects.count()) == counts
    client.force_login(user)
    page = client.get(reverse("portal:home")).content.decode()
    assert "SROI-DEMO-LEV-01" in page and "De arbeidsovereenkomst ontbreekt" in page
    # A placement of the first quarter ended six months ago: the supplier is asked whether the person still works.
    assert "SROI-DEMO-LEV-01: is kandidaat PW-01 6 maanden na de plaatsing nog aan het werk?" in page
    assert LastingOutcome.objects.filter(realisation__candidate_reference="PW-01", answer="").count() == 1
