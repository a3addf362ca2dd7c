"""seed_demo fills the coordinator's workspace with contracts in every stage."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from contracts.models import Contract
from monitoring.models import ContractFollowUp, Realisation

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_every_status_and_is_idempotent(settings):
    settings.WIZZR_SEED_HOOKS = ["contracts.seed.seed_demo", "monitoring.seed.seed_demo"]
    call_command("seed_demo", "--force", stdout=io.StringIO())
    demo = Contract.objects.filter(contract_number__startswith="SROI-DEMO-")
    assert set(demo.values_list("status", flat=True)) == {"handed_over", "agreements_made", "in_progress", "closed"}
    assert set(Realisation.objects.values_list("status", flat=True)) == {"submitted", "approved", "rejected"}
    assert not ContractFollowUp.objects.filter(contract__in=demo, catalogue_version__isnull=True).exists()
    # The contracts' own handed-over demo contracts stay new in the work queue.
    assert ContractFollowUp.objects.filter(accepted_at__isnull=True).exists()
    # The demo's PSO rule and certificate: the green-maintenance company's running contract has the discount.
    pso = demo.get(contract_number="SROI-DEMO-01")
    assert (pso.obligation_discount_label, pso.sroi_obligation) == ("PSO trede 2", Decimal("21600.00"))
    assert demo.get(contract_number="SROI-DEMO-05").obligation_discount is None  # handed over before it
    # Social purchasing is accounted for per invoice of a social company.
    purchases = Realisation.objects.filter(block__category="social_purchasing")
    assert purchases.exists()
    assert not purchases.filter(social_company__isnull=True).exists()
    counts = (demo.count(), Realisation.objects.count())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert (demo.count(), Realisation.objects.count()) == counts
