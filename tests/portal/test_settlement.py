"""The end of the term: outcome and shortfall after the final report, a recovery period with a new
deadline, then the final outcome with any withholding."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from monitoring import services as monitoring_services
from monitoring.models import Assessment, Settlement
from portal import services
from portal.models import PeriodRealisation, ReportingPeriod
from tests.contracts.factories import ContractFactory
from tests.monitoring.factories import realisation_for
from tests.portal.conftest import invite, running_contract

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def ended(arnhem, alice, carol, per_month_block, v05):
    """A term that ended in June 2026: obligation 5 % of € 100,000 = € 5,000."""
    contract = ContractFactory(
        organisation=arnhem, contract_number="INK-2025-0007", start_date=D(2025, 1, 1), end_date=D(2026, 6, 30),
        contract_value=Decimal("100000.00"), handed_over=True, handed_over_by=alice,
    )
    contract.contact_persons.add(alice)
    return running_contract(contract, carol, per_month_block)


@pytest.fixture
def supplier(ended):
    from tests.factories import member
    from wizzr.models import Role

    user = member("sanne@testmans.example", services.supplier_organisation_for(contract=ended), Role.SUPPLIER, name="Sanne")
    invite(ended, user)
    return user


def final_report(contract, by, carol, *, approve_months: int):
    """Open all periods, put one approved realisation in the final period and submit it."""
    services.periods_open(contract=contract, today=D(2026, 7, 15))
    final = ReportingPeriod.objects.get(contract=contract, kind="final")
    agreement = contract.agreements.get()
    realisation = realisation_for(
        contract, agreement=agreement, by=by, candidate_reference="AB",
        period_start=D(2026, 1, 1), period_end=D(2026, 1, 1).replace(month=approve_months, day=28),
    )
    PeriodRealisation.objects.create(organisation=contract.organisation, period=final, realisation=realisation)
    services.period_submit(period=final, nothing_to_report=False, by=by)
    monitoring_services.realisation_assess(realisation=realisation, decision=Assessment.Decision.APPROVED, by=carol)
    return final


def test_the_outcome_waits_for_the_end_of_the_term_and_the_final_report(client, carol, running):
    client.force_login(carol)
    page = client.get(reverse("portal:settlement", args=[running.uuid])).content.decode()
    assert "De looptijd is nog niet voorbij." in page
    assert "De eindrapportage van de opdrachtnemer is nog niet ingediend." in page
    response = client.post(reverse("portal:settlement", args=[running.uuid]), {"outcome": "realised"})
    assert response.status_code == 400
    assert not Settlement.objects.exists()


def test_shortfall_recovery_period_and_withholding(client, carol, alice, supplier, ended):
    final_report(ended, supplier, carol, approve_months=2)  # € 750 × ~1.9 months approved
    approved = services.approved_value(ended)
    shortfall = Decimal("5000.00") - approved
    client.force_login(carol)
    address = reverse("portal:settlement", args=[ended.uuid])
    page = client.get(address).content.decode()
    assert "Resultaat vastleggen" in page

    # ‘Gerealiseerd’ with a shortfall is refused; a recovery period in the past too.
    assert client.post(address, {"outcome": "realised"}).status_code == 400
    deadline = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(address, {"outcome": "partly", "reason": "Te weinig plaatsingen", "recovery_deadline": "2020-01-01"})
    assert response.status_code == 400 and "in de toekomst" in response.content.decode()

    response = client.post(address, {"outcome": "partly", "reason": "Te weinig plaatsingen", "recovery_deadline": deadline.isoformat()})
    assert response.status_code == 302
    settlement = Settlement.objects.get()
    assert settlement.state == "recovery" and settlement.shortfall == shortfall and settlement.approved == approved
    recovery = ReportingPeriod.objects.get(contract=ended, kind="recovery")
    assert recovery.is_open and recovery.due_date == deadline
    ended.refresh_from_db()
    assert ended.status == Contract.Status.IN_PROGRESS

    # The supplier accounts for work after the end date, within the recovery period.
    client.force_login(supplier)
    create = reverse("portal:realisation_create", args=[ended.uuid, recovery.uuid])
    data = {
        "agreement": str(ended.agreements.get().uuid), "period_start": "2026-07-01", "period_end": "2026-08-31",
        "candidate_reference": "CD",
    }
    assert client.post(create, data).status_code == 302
    client.post(reverse("portal:period_submit", args=[ended.uuid, recovery.uuid]), {})
    later = ended.realisations.get(candidate_reference="CD")
    assert later.value == Decimal("1500.00")
    monitoring_services.realisation_assess(realisation=later, decision=Assessment.Decision.APPROVED, by=carol)

    # Final outcome with withholding.
    client.force_login(carol)
    response = client.post(address, {"outcome": "partly", "reason": "", "withholding_amount": "100", "withholding_reason": ""})
    assert response.status_code == 400 and "Geef een reden voor de inhouding." in response.content.decode()
    remaining = shortfall - Decimal("1500.00")
    response = client.post(address, {
        "outcome": "partly", "reason": "Na herstel nog steeds tekort",
        "withholding_amount": str(remaining), "withholding_reason": "Naar rato van het tekort",
    })
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert settlement.state == "settled" and settlement.final_shortfall == remaining
    assert settlement.withholding_amount == remaining and settlement.final_outcome == "partly"
    ended.refresh_from_db()
    assert ended.status == Contract.Status.CLOSED and ended.settlement.final_outcome == "partly"

    # The supplier and the settlement page show outcome and shortfall.
    client.force_login(supplier)
    page = client.get(reverse("portal:contract", args=[ended.uuid])).content.decode()
    assert "Deels gerealiseerd" in page and "Naar rato van het tekort" in page


def test_realised_in_full_closes_at_once(client, carol, supplier, ended):
    final_report(ended, supplier, carol, approve_months=2)
    ended.sroi_fixed_amount = Decimal("500.00")
    ended.save()
    client.force_login(carol)
    address = reverse("portal:settlement", args=[ended.uuid])
    response = client.post(address, {"outcome": "partly", "reason": "x"})
    assert response.status_code == 400 and "volledig gerealiseerd" in response.content.decode()
    assert client.post(address, {"outcome": "realised"}).status_code == 302
    settlement = Settlement.objects.get()
    assert settlement.state == "settled" and settlement.shortfall == 0 and settlement.withholding_amount == 0
    ended.refresh_from_db()
    assert ended.status == Contract.Status.CLOSED


def test_not_realised_without_recovery_records_withholding_at_once(client, carol, supplier, ended):
    final_report(ended, supplier, carol, approve_months=2)
    client.force_login(carol)
    response = client.post(reverse("portal:settlement", args=[ended.uuid]), {
        "outcome": "not_realised", "reason": "Nauwelijks iets gedaan",
        "withholding_amount": "1000.00", "withholding_reason": "Boete volgens contract",
    })
    assert response.status_code == 302
    settlement = Settlement.objects.get()
    assert settlement.state == "settled" and settlement.withholding_amount == Decimal("1000.00")


def test_the_outcome_include_renders_for_the_buyer(rf, alice, supplier, carol, ended):
    from django.template.loader import render_to_string

    final_report(ended, supplier, carol, approve_months=2)
    services.settlement_record(
        contract=ended, outcome="not_realised", reason="Nauwelijks iets gedaan", recovery_deadline=None,
        withholding_amount=Decimal("250.00"), withholding_reason="Boete", by=carol,
    )
    html = render_to_string("monitoring/_outcome.html", {"settlement": ended.settlement})
    assert "Niet gerealiseerd" in html and "Boete" in html and "Tekort bij de eindrapportage" in html
