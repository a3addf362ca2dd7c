"""The coordinator's follow-up of one contract: accept, assign, agreements, realisations, assessment, close."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from contracts.models import Contract
from monitoring.models import Agreement, Assessment, ContractStatusChange, Realisation
from tests.monitoring.factories import agreement_for, realisation_for
from wizzr.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def url(name, contract, *args):
    return reverse(f"monitoring:{name}", args=[contract.uuid, *args])


def test_the_coordinator_sees_a_new_contract_and_accepts_it(client, carol, contract):
    client.force_login(carol)
    html = client.get(url("workspace", contract)).content.decode()
    assert "Nieuw overgedragen contract" in html
    assert "Contract accepteren" in html
    response = client.post(url("accept", contract))
    assert response.status_code == 302
    follow_up = contract.follow_up
    follow_up.refresh_from_db()
    assert follow_up.accepted_by == carol
    assert follow_up.coordinator == carol
    assert AuditEvent.objects.filter(action="contract_accepted", actor=carol).exists()
    html = client.get(url("workspace", contract)).content.decode()
    assert "Contract accepteren" not in html
    assert "Afspraak toevoegen" in html


def test_accepting_twice_says_so_and_changes_nothing(client, carol, accepted, colleague):
    client.force_login(colleague)
    response = client.post(url("accept", accepted), follow=True)
    assert "Dit contract is al geaccepteerd." in response.content.decode()
    assert accepted.follow_up.accepted_by == carol


def test_it_assigns_to_a_colleague_of_the_same_service_point(client, carol, accepted, colleague):
    client.force_login(carol)
    client.post(url("assign", accepted), {"coordinator": str(colleague.uuid)})
    accepted.follow_up.refresh_from_db()
    assert accepted.follow_up.coordinator == colleague


def test_it_refuses_to_assign_to_a_coordinator_of_another_service_point(client, carol, accepted, frank):
    client.force_login(carol)
    response = client.post(url("assign", accepted), {"coordinator": str(frank.uuid)}, follow=True)
    assert "Kies een SROI-coördinator van het servicepunt van dit contract." in response.content.decode()
    accepted.follow_up.refresh_from_db()
    assert accepted.follow_up.coordinator == carol


def test_it_stores_the_reporting_rhythm(client, carol, accepted):
    client.force_login(carol)
    client.post(url("rhythm", accepted), {"reporting_rhythm": "monthly"})
    accepted.follow_up.refresh_from_db()
    assert accepted.follow_up.reporting_rhythm == "monthly"


def test_an_agreement_gets_its_planned_value_and_the_page_shows_it_against_the_obligation(
    client, carol, accepted, per_year_block
):
    client.force_login(carol)
    response = client.post(
        url("agreement_create", accepted),
        {
            "block": str(per_year_block.uuid),
            "description": "Grondwerker uit de Participatiewet",
            "persons": "1",
            "hours_per_week": "24",
            "months": "18",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(contract=accepted)
    assert agreement.planned_value == Decimal("30000.00")
    assert agreement.organisation == accepted.organisation
    html = client.get(url("workspace", accepted)).content.decode()
    assert "€ 30.000,00" in html  # planned
    assert "€ 12.500,00" in html  # obligation
    assert "De afspraken dekken de hele verplichting." in html


def test_the_preview_shows_the_value_before_saving(client, carol, accepted, per_month_block):
    client.force_login(carol)
    response = client.post(
        url("agreement_preview", accepted),
        {"block": str(per_month_block.uuid), "description": "x", "persons": "1", "months": "6"},
        headers={"HX-Request": "true"},
    )
    assert "€ 4.500,00" in response.content.decode()
    assert not Agreement.objects.exists()


def test_recording_agreements_moves_the_status_and_notifies_the_buyer(
    client, carol, accepted, alice, per_month_block, django_capture_on_commit_callbacks
):
    agreement_for(accepted, per_month_block, by=carol, persons=2, months=Decimal("6"))
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("record_agreements", accepted))
    accepted.refresh_from_db()
    assert accepted.status == Contract.Status.AGREEMENTS_MADE
    change = ContractStatusChange.objects.filter(contract=accepted).last()
    assert (change.to_status, change.changed_by) == ("agreements_made", carol)
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "SR-invullingsafspraken vastgelegd: INK-2026-0042" in mail.outbox[0].subject
    assert "€ 9.000,00" in mail.outbox[0].body
    notification = Notification.objects.get(user=alice, title__startswith="Afspraken vastgelegd")
    assert notification.url == reverse("monitoring:contract", args=[accepted.uuid])
    assert notification.url in mail.outbox[0].body


def test_agreements_cannot_be_recorded_without_any(client, carol, accepted):
    client.force_login(carol)
    response = client.post(url("record_agreements", accepted), follow=True)
    assert "Leg eerst ten minste één SR-invullingsafspraak vast." in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == Contract.Status.HANDED_OVER


@pytest.fixture
def agreed(accepted, carol, per_year_block):
    agreement = agreement_for(accepted, per_year_block, by=carol, persons=1, hours_per_week=Decimal("24"), months=Decimal("18"))
    from monitoring.services import agreements_record

    agreements_record(contract=accepted, by=carol)
    accepted.refresh_from_db()
    return agreement


def test_a_realisation_is_valued_and_moves_the_contract_in_progress(client, carol, accepted, agreed):
    client.force_login(carol)
    response = client.post(
        url("realisation_create", accepted),
        {
            "agreement": str(agreed.uuid),
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "hours_per_week": "36",
            "candidate_reference": "GW-01",
        },
    )
    assert response.status_code == 302, response.content.decode()
    realisation = Realisation.objects.get()
    assert realisation.block == agreed.block
    assert realisation.value == Decimal("15000.00")  # 30,000 × 36/36 × 6/12
    assert realisation.status == "submitted"
    accepted.refresh_from_db()
    assert accepted.status == Contract.Status.IN_PROGRESS


def test_only_approved_realisations_count_as_realised(client, carol, accepted, agreed):
    first = realisation_for(accepted, agreement=agreed, by=carol, hours_per_week=Decimal("36"), candidate_reference="A")
    second = realisation_for(
        accepted, agreement=agreed, by=carol, hours_per_week=Decimal("18"), candidate_reference="B",
    )
    client.force_login(carol)
    client.post(url("realisation_approve", accepted, first.uuid))
    response = client.post(url("realisation_reject", accepted, second.uuid), {"reason": "Geen loonstrook"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "rejected")
    assert second.rejection_reason == "Geen loonstrook"
    assert list(Assessment.objects.values_list("decision", "assessed_by")) == [("approved", carol.pk), ("rejected", carol.pk)]
    assert AuditEvent.objects.filter(action="realisation_rejected").count() == 1
    html = client.get(url("workspace", accepted)).content.decode()
    assert "Geen loonstrook" in html
    from monitoring.figures import contract_figures

    figures = contract_figures(accepted)
    assert figures.approved == Decimal("15000.00")
    assert figures.submitted == Decimal("0.00")


def test_a_rejection_needs_a_reason(client, carol, accepted, agreed):
    realisation = realisation_for(accepted, agreement=agreed, by=carol, hours_per_week=Decimal("36"), candidate_reference="A")
    client.force_login(carol)
    response = client.post(url("realisation_reject", accepted, realisation.uuid), {"reason": "  "})
    assert response.status_code == 400
    assert "Geef een reden op waarom de realisatie wordt afgewezen." in response.content.decode()
    realisation.refresh_from_db()
    assert realisation.status == "submitted"
    assert not Assessment.objects.exists()


def test_an_approved_realisation_is_locked(client, carol, accepted, agreed):
    realisation = realisation_for(accepted, agreement=agreed, by=carol, hours_per_week=Decimal("36"), candidate_reference="A")
    client.force_login(carol)
    client.post(url("realisation_approve", accepted, realisation.uuid))
    response = client.post(
        url("realisation_update", accepted, realisation.uuid),
        {"agreement": str(agreed.uuid), "period_start": "2026-01-01", "period_end": "2026-12-31", "hours_per_week": "36", "candidate_reference": "A"},
        follow=True,
    )
    assert "Een goedgekeurde realisatie kan niet meer worden gewijzigd." in response.content.decode()
    realisation.refresh_from_db()
    assert realisation.period_end.month == 6


def test_a_rejected_realisation_can_be_corrected_and_is_submitted_again(client, carol, accepted, agreed):
    realisation = realisation_for(accepted, agreement=agreed, by=carol, hours_per_week=Decimal("36"), candidate_reference="A")
    client.force_login(carol)
    client.post(url("realisation_reject", accepted, realisation.uuid), {"reason": "Periode klopt niet"})
    client.post(
        url("realisation_update", accepted, realisation.uuid),
        {"agreement": str(agreed.uuid), "period_start": "2026-01-01", "period_end": "2026-03-31", "hours_per_week": "36", "candidate_reference": "A"},
    )
    realisation.refresh_from_db()
    assert realisation.status == "submitted"
    assert realisation.rejection_reason == ""
    assert realisation.value == Decimal("7500.00")


def test_closing_needs_a_reason_unless_realised_and_notifies_the_buyer(
    client, carol, accepted, agreed, alice, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    response = client.post(url("close", accepted), {"outcome": "partly", "reason": ""})
    assert response.status_code == 400
    assert "Geef een toelichting bij een deels of niet gerealiseerde verplichting." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("close", accepted), {"outcome": "partly", "reason": "Kandidaat uitgevallen"})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == Contract.Status.CLOSED
    assert accepted.settlement.final_outcome == "partly"
    change = ContractStatusChange.objects.filter(contract=accepted).last()
    assert (change.to_status, change.outcome, change.reason) == ("closed", "partly", "Kandidaat uitgevallen")
    assert any("afgerond: INK-2026-0042 — deels gerealiseerd" in m.subject for m in mail.outbox)


def test_a_contract_with_unassessed_realisations_cannot_be_closed(client, carol, accepted, agreed):
    realisation_for(accepted, agreement=agreed, by=carol, hours_per_week=Decimal("36"), candidate_reference="A")
    client.force_login(carol)
    response = client.post(url("close", accepted), {"outcome": "realised"}, follow=True)
    assert "Beoordeel eerst alle ingediende realisaties" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status != Contract.Status.CLOSED


def test_the_timeline_shows_each_move_with_who(client, carol, accepted, agreed):
    client.force_login(carol)
    html = client.get(url("workspace", accepted)).content.decode()
    timeline = html.split('id="timeline-title"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"Status: Afspraken gemaakt</span>.*· Carol Visser", timeline)
    assert re.search(r"Status: Overgedragen</span>.*· Alice de Vries", timeline)


def test_the_value_panel_explains_itself_on_a_new_form_and_shows_the_stored_value_on_edit(client, carol, accepted, agreed):
    client.force_login(carol)
    html = client.get(url("realisation_create", accepted)).content.decode()
    assert "Kies een bouwblok en vul de hoeveelheid in; de waarde verschijnt hier." in html
    html = client.get(url("agreement_update", accepted, agreed.uuid)).content.decode()
    assert "€ 30.000,00" in html.split('id="value-preview"', 1)[1]
