"""Lasting outcomes in monitoring: the coordinator records whether a placed person is still at work
6 or 12 months on (with the refusals in words), and the buyer's contract page and consolidated view
show the share still at work."""

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from catalogue.models import BuildingBlock
from monitoring import lasting, services
from monitoring.models import LastingOutcome
from tests.factories import mark_reauthenticated
from tests.monitoring.factories import agreement_for, realisation_for
from tests.monitoring_buyer.factories import block, realisation
from wizzr.models import AuditEvent

pytestmark = pytest.mark.django_db
D = datetime.date
A = LastingOutcome.Answer
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PLACEMENT_END = D(2026, 11, 30)


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, 0, tzinfo=AMSTERDAM), tick=False)


@pytest.fixture
def recorded(accepted, carol, per_year_block, bbl_block):
    agreement_for(accepted, per_year_block, by=carol, persons=2, hours_per_week=Decimal("36"), months=Decimal("12"))
    agreement_for(accepted, bbl_block, by=carol, persons=1, months=Decimal("12"))
    services.agreements_record(contract=accepted, by=carol)
    accepted.refresh_from_db()
    return accepted


def placed(contract, carol, *, reference="KV-01", block_name="Participatiewet", end=PLACEMENT_END, decision="approved"):
    agreement = contract.agreements.get(block__name__startswith=block_name)
    item = realisation_for(
        contract, agreement=agreement, by=carol, period_start=D(2026, 7, 1), period_end=end,
        candidate_reference=reference, hours_per_week=Decimal("36"),
    )
    if decision:
        services.realisation_assess(realisation=item, decision=decision, reason="Geen bewijs" if decision == "rejected" else "", by=carol)
    item.refresh_from_db()
    return item


def record_url(contract, item, months):
    return reverse("monitoring:lasting_outcome_record", args=[contract.uuid, item.uuid, months])


def test_the_coordinator_records_an_answer_on_the_placements_page(client, recorded, carol):
    item = placed(recorded, carol)
    with on(D(2027, 6, 15)):
        client.force_login(carol)
        page = client.get(reverse("monitoring:lasting_outcomes", args=[recorded.uuid])).content.decode()
        assert "KV-01" in page and "Nog niet gevraagd" in page and "vanaf 30 november 2027" in page
        assert record_url(recorded, item, 6) in page and record_url(recorded, item, 12) not in page

        response = client.post(record_url(recorded, item, 6), {"answer": A.NOT_EMPLOYED})
        assert response.status_code == 302
        page = client.get(reverse("monitoring:lasting_outcomes", args=[recorded.uuid])).content.decode()
    stored = LastingOutcome.objects.get()
    assert (stored.realisation, stored.months_after, stored.answer, stored.reported_by) == (item, 6, A.NOT_EMPLOYED, carol)
    assert stored.due_on == D(2027, 5, 30) and stored.organisation_id == recorded.organisation_id
    assert "Niet aan het werk" in page and "Na 6 maanden nog aan het werk: 0 van 1 (0 %)" in page
    assert AuditEvent.objects.filter(action="lasting_outcome_reported", actor=carol).count() == 1
    # The workspace leads there, and its timeline says who reported for which moment.
    with on(D(2027, 6, 15)):
        workspace = client.get(reverse("monitoring:workspace", args=[recorded.uuid])).content.decode()
    assert reverse("monitoring:lasting_outcomes", args=[recorded.uuid]) in workspace
    assert "Blijvend resultaat gemeld" in workspace and "6 maanden na de plaatsing" in workspace


def test_the_realisation_page_shows_its_moments_only_for_the_end_of_a_placement(client, recorded, carol, alice):
    earlier = placed(recorded, carol, end=D(2026, 9, 30))
    last = placed(recorded, carol, reference="kv-01")
    track = placed(recorded, carol, reference="BBL-1", block_name="BBL")
    with on(D(2027, 6, 15)):
        client.force_login(carol)
        page = client.get(reverse("monitoring:realisation", args=[recorded.uuid, last.uuid])).content.decode()
        assert "Blijvend resultaat" in page and "Nog niet gevraagd" in page and "vanaf 30 november 2027" in page
        assert record_url(recorded, last, 6) in page
        for other in (earlier, track):
            html = client.get(reverse("monitoring:realisation", args=[recorded.uuid, other.uuid])).content.decode()
            assert 'id="blijvend-resultaat"' not in html
        client.force_login(alice)  # the buyer reads, without the link
        page = client.get(reverse("monitoring:realisation", args=[recorded.uuid, last.uuid])).content.decode()
    assert "Nog niet gevraagd" in page and record_url(recorded, last, 6) not in page


def test_a_rejected_realisation_is_refused_by_the_form_and_nothing_is_stored(client, recorded, carol):
    item = placed(recorded, carol, decision="rejected")
    with on(D(2027, 6, 15)):
        client.force_login(carol)
        page = client.get(record_url(recorded, item, 6)).content.decode()
        response = client.post(record_url(recorded, item, 6), {"answer": A.WITH_EMPLOYER})
    message = "Deze realisatie is afgewezen. Alleen bij een goedgekeurde plaatsing wordt gevraagd of de kandidaat nog aan het werk is."
    assert message in page and 'name="answer"' not in page  # no form to fill in
    assert response.status_code == 400 and message in response.content.decode()
    assert 'id="id_answer_error"' in response.content.decode()  # beside the field
    assert not LastingOutcome.objects.exists()


def test_a_moment_not_yet_come_and_a_learn_work_track_are_refused(client, recorded, carol):
    item = placed(recorded, carol)
    track = placed(recorded, carol, reference="BBL-1", block_name="BBL")
    with on(D(2027, 6, 15)):
        client.force_login(carol)
        early = client.post(record_url(recorded, item, 12), {"answer": A.WITH_EMPLOYER})
        learn_work = client.post(record_url(recorded, track, 6), {"answer": A.WITH_EMPLOYER})
        assert client.get(record_url(recorded, item, 7)).status_code == 404
    assert early.status_code == 400
    assert "Deze vraag kan pas vanaf 30 november 2027 worden beantwoord" in early.content.decode()
    assert learn_work.status_code == 400
    assert "Alleen bij werkgelegenheid wordt gevraagd" in learn_work.content.decode()
    assert not LastingOutcome.objects.exists()


def test_only_the_coordinators_record_and_strangers_get_404(client, recorded, carol, alice, bob, frank):
    item = placed(recorded, carol)
    page = reverse("monitoring:lasting_outcomes", args=[recorded.uuid])
    with on(D(2027, 6, 15)):
        client.force_login(alice)  # the buyer's advisor sees the page, but records nothing
        assert client.get(page).status_code == 200
        assert record_url(recorded, item, 6) not in client.get(page).content.decode()
        assert client.post(record_url(recorded, item, 6), {"answer": A.WITH_EMPLOYER}).status_code == 403
        for stranger in (bob, frank):
            client.force_login(stranger)
            assert client.get(page).status_code == 404
            assert client.post(record_url(recorded, item, 6), {"answer": A.WITH_EMPLOYER}).status_code == 404
    assert not LastingOutcome.objects.exists()


def test_a_realisation_of_another_contract_is_404(client, recorded, carol, renkum_contract):
    item = placed(recorded, carol)
    other = reverse("monitoring:lasting_outcome_record", args=[renkum_contract.uuid, item.uuid, 6])
    with on(D(2027, 6, 15)):
        client.force_login(carol)
        assert client.post(other, {"answer": A.WITH_EMPLOYER}).status_code == 404


# Figures ------------------------------------------------------------------------------------------


def answered(contract, employment, answers, *, months=12):
    for n, answer in enumerate(answers):
        item = realisation(contract, employment, "1000.00", candidate_reference=f"P-{n}", period_end=D(2026, 3, 31))
        LastingOutcome.objects.create(
            organisation_id=contract.organisation_id, contract=contract, realisation=item, months_after=months,
            due_on=D(2026, 9, 30), answer=answer, reported_at=timezone.now() if answer else None,
        )


def test_the_share_counts_work_here_and_elsewhere_and_leaves_not_known_out():
    share = lasting.Share(months_after=12, at_work=3, not_at_work=1, unknown=2, open=1)
    assert (share.known, share.percent, share.asked) == (4, 75, 7)
    assert lasting.Share(months_after=6, at_work=2, not_at_work=1).percent == 67
    assert lasting.Share(months_after=6, unknown=1).percent is None


def test_the_buyer_sees_the_share_on_the_contract_page_and_the_consolidated_view(client, accepted, renkum_contract, alice):
    employment = block(BuildingBlock.Category.EMPLOYMENT, name="Participatiewet")
    answered(accepted, employment, [A.WITH_EMPLOYER, A.ELSEWHERE, A.ELSEWHERE, A.NOT_EMPLOYED, A.UNKNOWN, ""])
    answered(accepted, employment, [A.WITH_EMPLOYER], months=6)
    # Renkum's answers are not Arnhem's business.
    answered(renkum_contract, employment, [A.NOT_EMPLOYED, A.NOT_EMPLOYED])
    client.force_login(alice)

    page = client.get(reverse("monitoring:contract", args=[accepted.uuid])).content.decode()
    assert "Na 12 maanden nog aan het werk: 3 van 4 (75 %)" in page
    assert "Na 6 maanden nog aan het werk: 1 van 1 (100 %)" in page
    assert "1 keer ‘niet bekend’" in page and "1 vraag nog niet beantwoord" in page
    assert "‘Niet bekend’ en vragen die nog niet zijn beantwoord tellen niet mee in het percentage." in page

    consolidated = client.get(reverse("monitoring:consolidated")).content.decode()
    assert "Na 12 maanden nog aan het werk: 3 van 4 (75 %)" in consolidated
    assert "tellen niet mee in het percentage" in consolidated


def test_the_consolidated_view_without_answers_says_so(client, accepted, alice):
    client.force_login(alice)
    page = client.get(reverse("monitoring:consolidated")).content.decode()
    assert "Blijvend resultaat" in page
    assert "Er is nog geen plaatsing waarvan 6 of 12 maanden na afloop is gevraagd" in page


def test_the_consolidated_export_holds_the_share_still_at_work(client, accepted, renkum_contract, alice):
    employment = block(BuildingBlock.Category.EMPLOYMENT, name="Participatiewet")
    answered(accepted, employment, [A.WITH_EMPLOYER, A.ELSEWHERE, A.NOT_EMPLOYED, A.UNKNOWN, ""])
    answered(renkum_contract, employment, [A.NOT_EMPLOYED])
    client.force_login(alice)
    mark_reauthenticated(client, alice)
    content = client.get(reverse("monitoring:export_consolidated", args=["csv"])).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    lasting_rows = [row for row in rows if row[0] == "Blijvend resultaat"]
    assert len(lasting_rows) == 1
    row = lasting_rows[0]
    assert row[1] == "Na 12 maanden nog aan het werk: 2 van 3 (niet bekend: 1; nog niet beantwoord: 1)"
    assert row[7] == "67"


def test_the_realisations_export_gives_each_placement_its_answers_in_words(client, accepted, renkum_contract, alice):
    employment = block(BuildingBlock.Category.EMPLOYMENT, name="Participatiewet")
    answered(accepted, employment, [A.ELSEWHERE, ""])
    answered(renkum_contract, employment, [A.NOT_EMPLOYED])
    client.force_login(alice)
    mark_reauthenticated(client, alice)
    content = client.get(reverse("monitoring:export_realisations", args=["csv"])).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    header = rows[0]
    cells = sorted(
        (row[header.index("Blijvend resultaat na 6 maanden")], row[header.index("Blijvend resultaat na 12 maanden")])
        for row in rows[1:]
    )
    # Renkum's placement is not Arnhem's business; nothing was asked 6 months on.
    assert cells == [("", "Aan het werk bij een andere werkgever"), ("", "nog te beantwoorden")]
