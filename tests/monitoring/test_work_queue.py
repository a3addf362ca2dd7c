"""The coordinator's work queue: scoped to the service point, filters in the URL, htmx in place."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from monitoring import services
from tests.contracts.factories import ContractFactory
from tests.monitoring.factories import realisation_for

pytestmark = pytest.mark.django_db
QUEUE = reverse("monitoring:work_queue")


def test_it_lists_handed_over_contracts_of_the_served_authorities_only(
    client, carol, contract, renkum_contract, utrecht_contract, draft
):
    client.force_login(carol)
    html = client.get(QUEUE).content.decode()
    assert "INK-2026-0042" in html
    assert "REN-001" in html
    assert "UTR-001" not in html
    assert "CONCEPT-1" not in html
    assert "2 contracten gevonden." in html


def test_new_contracts_are_highlighted_until_accepted(client, carol, contract, renkum_contract):
    services.contract_accept(contract=renkum_contract, by=carol)
    client.force_login(carol)
    html = client.get(QUEUE).content.decode()
    assert html.count("wizzr-queue-row--new") == 1
    assert "1 nieuw contract wacht op acceptatie." in html
    assert html.index("INK-2026-0042") < html.index("REN-001")  # new ones first


def test_advisors_may_not_open_the_work_queue(client, alice):
    client.force_login(alice)
    assert client.get(QUEUE).status_code == 403


def test_the_other_service_point_sees_only_its_own(client, frank, contract, utrecht_contract):
    client.force_login(frank)
    html = client.get(QUEUE).content.decode()
    assert "UTR-001" in html and "INK-2026-0042" not in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=handed_over", "INK-2026-0042", "REN-001"),
        ("status=agreements_made", "REN-001", "INK-2026-0042"),
        ("authority={renkum}", "REN-001", "INK-2026-0042"),
        ("coordinator={carol}", "REN-001", "INK-2026-0042"),
        ("coordinator=geen", "INK-2026-0042", "REN-001"),
    ],
)
def test_filters_narrow_the_list(client, carol, contract, renkum_contract, renkum, per_month_block, query, shown, hidden):
    services.contract_accept(contract=renkum_contract, by=carol)
    from tests.monitoring.factories import agreement_for

    agreement_for(renkum_contract, per_month_block, by=carol, persons=1, months=Decimal("6"))
    services.agreements_record(contract=renkum_contract, by=carol)
    client.force_login(carol)
    html = client.get(f"{QUEUE}?{query.format(renkum=renkum.uuid, carol=carol.uuid)}").content.decode()
    assert shown in html
    assert hidden not in html


def test_ending_soon_and_behind_schedule(client, carol, arnhem, v05, per_month_block):
    today = timezone.localdate()
    ending = ContractFactory(
        organisation=arnhem, contract_number="ENDING", handed_over=True,
        start_date=today - datetime.timedelta(days=300), end_date=today + datetime.timedelta(days=10),
    )
    ContractFactory(
        organisation=arnhem, contract_number="FUTURE", status=Contract.Status.AGREEMENTS_MADE, handed_over=True,
        start_date=today + datetime.timedelta(days=10), end_date=today + datetime.timedelta(days=400),
    )
    client.force_login(carol)
    html = client.get(f"{QUEUE}?ending_soon=on").content.decode()
    assert "ENDING" in html and "FUTURE" not in html
    # Without recorded agreements nothing is expected yet, however much of the term has passed.
    html = client.get(f"{QUEUE}?behind=on").content.decode()
    assert "ENDING" not in html and "FUTURE" not in html
    Contract.objects.filter(pk=ending.pk).update(status=Contract.Status.IN_PROGRESS)
    html = client.get(f"{QUEUE}?behind=on").content.decode()
    assert "ENDING" in html and "FUTURE" not in html  # nothing approved after 300 days; the other has not started


def test_an_approved_value_on_schedule_is_not_behind(client, carol, accepted, per_month_block):
    from tests.monitoring.factories import agreement_for

    agreement = agreement_for(accepted, per_month_block, by=carol, persons=1, months=Decimal("24"))
    services.agreements_record(contract=accepted, by=carol)
    # The obligation is € 12,500; 24 months × € 750 = € 18,000 covers any share of the term.
    realisation = realisation_for(
        accepted, agreement=agreement, by=carol, candidate_reference="A",
        period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2027, 12, 31),
    )
    services.realisation_assess(realisation=realisation, decision="approved", by=carol)
    client.force_login(carol)
    html = client.get(f"{QUEUE}?behind=on").content.decode()
    assert "INK-2026-0042" not in html


def test_htmx_requests_get_only_the_results(client, carol, contract):
    client.force_login(carol)
    response = client.get(f"{QUEUE}?status=handed_over", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="work-queue-results"')
    assert "<html" not in html
    restore = client.get(f"{QUEUE}?status=handed_over", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


@pytest.mark.parametrize(
    "query",
    ["status=nonsense", "authority=00000000-0000-0000-0000-000000000000", "coordinator=x", "page=-1", "page=999", "behind=maybe"],
)
def test_hostile_filter_values_give_a_normal_page(client, carol, contract, query):
    client.force_login(carol)
    response = client.get(f"{QUEUE}?{query}")
    assert response.status_code == 200


def test_another_service_points_authority_is_not_a_choice(client, carol, contract, utrecht):
    client.force_login(carol)
    html = client.get(f"{QUEUE}?authority={utrecht.uuid}").content.decode()
    assert "Gemeente Utrecht" not in html


def test_it_paginates_25_a_page(client, carol, arnhem, v05):
    for n in range(27):
        ContractFactory(organisation=arnhem, contract_number=f"P-{n:03d}", handed_over=True)
    client.force_login(carol)
    html = client.get(QUEUE).content.decode()
    assert "Pagina 1 van 2" in html
    assert html.count('data-testid="queue-row"') == 25
    assert "page=2" in client.get(QUEUE).content.decode()
    assert "Pagina 2 van 2" in client.get(f"{QUEUE}?page=2").content.decode()


def test_the_pages_hold_new_contracts_first_then_by_end_date(client, carol, arnhem, v05):
    start = datetime.date(2026, 1, 1)
    contracts = [
        ContractFactory(organisation=arnhem, contract_number=f"E-{n:03d}", handed_over=True,
                        start_date=start, end_date=start + datetime.timedelta(days=400 + (n * 7) % 30))
        for n in range(30)
    ]
    for contract in contracts[::3]:
        services.contract_accept(contract=contract, by=carol)
    client.force_login(carol)
    shown = []
    for page in (1, 2):
        html = client.get(QUEUE, {"page": page}).content.decode()
        shown += re.findall(r">(E-\d{3})<", html)
    expected = sorted(contracts, key=lambda c: (c.pk in {a.pk for a in contracts[::3]}, c.end_date, c.contract_number))
    assert shown == [c.contract_number for c in expected]


def test_the_list_runs_a_constant_number_of_queries(client, carol, arnhem, v05, django_assert_max_num_queries):
    for n in range(30):
        ContractFactory(organisation=arnhem, contract_number=f"Q-{n:03d}", handed_over=True)
    client.force_login(carol)
    with django_assert_max_num_queries(20):
        assert client.get(QUEUE).status_code == 200


def test_the_banner_counts_the_new_contracts_of_the_whole_service_point_on_every_page_and_filter(
    client, carol, arnhem, renkum, v05
):
    for n in range(27):
        ContractFactory(organisation=arnhem, contract_number=f"N-{n:03d}", handed_over=True)
    services.contract_accept(contract=ContractFactory(organisation=renkum, contract_number="REN-A", handed_over=True), by=carol)
    client.force_login(carol)
    pages = {query: client.get(f"{QUEUE}?{query}").content.decode()
             for query in ["", "page=2", "page=999", "page=x", f"authority={renkum.uuid}"]}
    for query, html in pages.items():
        assert "27 nieuwe contracten wachten op acceptatie." in html, query
    assert "28 contracten gevonden." in pages[""] and "Pagina 1 van 2" in pages[""]
    assert "Pagina 2 van 2" in pages["page=2"] and "Pagina 2 van 2" in pages["page=999"]
    assert "Pagina 1 van 2" in pages["page=x"]
    assert "1 contract gevonden." in pages[f"authority={renkum.uuid}"] and "REN-A" in pages[f"authority={renkum.uuid}"]
