"""Honest on-track states: nothing is expected before the agreements are recorded, a closed contract
shows its outcome, and otherwise the approved value is measured against the share of the term
that has passed. The rule is written once for Python and once for SQL; these tests hold the two,
and the SQL of the list page and the consolidated pass, to the same answers."""

import itertools
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.models import BuildingBlock
from contracts.models import Contract
from monitoring import reports
from monitoring.figures import Track, contract_figures, schedule, with_progress
from tests.contracts.factories import ContractFactory
from tests.monitoring_buyer.conftest import days, follow
from tests.monitoring_buyer.factories import block, realisation, settlement

pytestmark = pytest.mark.django_db
S = Contract.Status
LIST = reverse("monitoring:individual")

STATUSES = [S.DRAFT, S.HANDED_OVER, S.AGREEMENTS_MADE, S.IN_PROGRESS, S.CLOSED]
# (contract value, fixed amount): obligation unknown, zero, 5 % of 100,000 and a fixed 3,000.
OBLIGATIONS = [(None, None), (Decimal("0.00"), None), (Decimal("100000.00"), None), (None, Decimal("3000.00"))]
APPROVED = ["0", "1000.00", "2500.00", "5000.00"]
# Half of a 200-day term passed (2,500 expected of 5,000: exactly on schedule), not begun, over.
TERMS = [(-100, 99), (10, 400), (-400, -10)]


@pytest.fixture
def many(arnhem):
    """A contract for every combination of status, obligation, approved value and term."""
    employment = block(BuildingBlock.Category.EMPLOYMENT, name="Participatiewet")
    contracts = []
    for n, (status, (value, fixed), approved, (start, end)) in enumerate(
        itertools.product(STATUSES, OBLIGATIONS, APPROVED, TERMS)
    ):
        contract = ContractFactory(
            organisation=arnhem,
            contract_number=f"CASE-{n:03d}",
            status=status,
            contract_value=value,
            sroi_fixed_amount=fixed,
            start_date=days(start),
            end_date=days(end),
        )
        if approved != "0":
            realisation(contract, employment, approved)
        contracts.append(contract)
    return contracts


def python_state(contract: Contract) -> Track:
    contract = Contract.objects.get(pk=contract.pk)
    return schedule(contract_figures(contract), status=contract.status).state


def test_the_sql_rule_and_the_python_rule_agree_on_every_case(arnhem, many):
    annotated = {c.pk: c for c in with_progress(Contract.objects.filter(organisation=arnhem))}
    states = set()
    for contract in many:
        row = annotated[contract.pk]
        expected = python_state(contract)
        states.add(expected)
        assert row.track_state == expected, (contract.contract_number, row.track_state, expected)
        assert row.is_behind == (expected == Track.BEHIND), contract.contract_number
    assert states == set(Track), "every state is covered"


def test_the_list_page_rows_and_the_consolidated_pass_agree_with_the_sql_rule(arnhem, many):
    contracts = Contract.objects.filter(organisation=arnhem)
    annotated = {c.pk: c for c in with_progress(contracts)}
    for row in reports.page_rows(list(annotated)):
        assert row.track_state == annotated[row.pk].track_state, row.contract_number
        assert row.is_behind == annotated[row.pk].is_behind, row.contract_number
    figures = reports.consolidated(contracts, behind_limit=10_000)
    assert {c.pk for c in figures.behind} == {pk for pk, c in annotated.items() if c.is_behind}
    assert figures.behind_count == sum(c.is_behind for c in annotated.values())


def test_nothing_is_behind_before_the_agreements_are_recorded(arnhem):
    contract = ContractFactory(organisation=arnhem, start_date=days(-300), end_date=days(60), handed_over=True)
    row = with_progress(Contract.objects.filter(pk=contract.pk)).get()
    assert row.track_state == Track.NO_AGREEMENTS and not row.is_behind
    follow(contract, None, S.AGREEMENTS_MADE)
    row = with_progress(Contract.objects.filter(pk=contract.pk)).get()
    assert row.track_state == Track.BEHIND and row.is_behind


@pytest.fixture
def fresh(arnhem, alice):
    """Handed over a minute ago, no agreements, although most of its term has passed."""
    contract = ContractFactory(
        organisation=arnhem, contract_number="INK-NEW", start_date=days(-300), end_date=days(60),
        handed_over=True, handed_over_by=alice,
    )
    contract.contact_persons.add(alice)
    return contract


@pytest.fixture
def lagging(arnhem, carol):
    """Obligation 25,000; 40 of 100 days passed; 4,000 approved."""
    contract = ContractFactory(
        organisation=arnhem, contract_number="INK-LAG", contract_value=Decimal("500000.00"),
        start_date=days(-40), end_date=days(59), handed_over=True,
    )
    follow(contract, carol, S.IN_PROGRESS)
    realisation(contract, block(), "4000.00")
    return contract


def text(html: str) -> str:
    """What a reader sees: tags removed (inline ones leave no space), whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ").replace("\xa0", " ").split())


def schedule_of(html: str) -> str:
    return text(html.split('data-testid="schedule">', 1)[1].split("</div>", 1)[0])


def row_of(html: str, number: str) -> str:
    return next(row for row in html.split('<tr class="utrecht-table__row') if f">{number}</a>" in row)


def test_a_contract_just_handed_over_is_not_behind_anywhere(client, alice, carol, fresh):
    client.force_login(alice)
    page = client.get(reverse("monitoring:contract", args=[fresh.uuid])).content.decode()
    assert "Nog geen afspraken" in schedule_of(page)
    assert "Loopt achter" not in page
    row = row_of(client.get(LIST).content.decode(), "INK-NEW")
    assert "Nog geen afspraken" in row and "Loopt achter" not in row
    assert "INK-NEW" not in client.get(f"{LIST}?behind=on").content.decode()
    client.force_login(carol)
    workspace = client.get(reverse("monitoring:workspace", args=[fresh.uuid])).content.decode()
    assert "Nog geen afspraken" in schedule_of(workspace)
    assert "INK-NEW" not in client.get(reverse("monitoring:work_queue") + "?behind=on").content.decode()


def test_a_contract_behind_schedule_says_why_in_words(client, alice, carol, lagging):
    client.force_login(alice)
    html = client.get(reverse("monitoring:contract", args=[lagging.uuid])).content.decode()
    assert schedule_of(html) == (
        "Loopt achter op schema Gerealiseerd € 4.000,00 (16 %) terwijl 40 % van de looptijd verstreken is; "
        "naar rato verwacht € 10.000,00. De achterstand is € 6.000,00."
    )
    assert "INK-LAG" in client.get(f"{LIST}?behind=on").content.decode()
    client.force_login(carol)
    workspace = client.get(reverse("monitoring:workspace", args=[lagging.uuid])).content.decode()
    assert "terwijl 40 % van de looptijd verstreken is" in schedule_of(workspace)
    assert "INK-LAG" in client.get(reverse("monitoring:work_queue") + "?behind=on").content.decode()


def test_a_contract_on_schedule_says_why_in_words(client, alice, lagging):
    realisation(lagging, block(), "6000.00")
    client.force_login(alice)
    html = client.get(reverse("monitoring:contract", args=[lagging.uuid])).content.decode()
    assert schedule_of(html) == (
        "Op schema Gerealiseerd € 10.000,00 (40 %) en 40 % van de looptijd verstreken; "
        "naar rato verwacht € 10.000,00. De opdrachtnemer ligt op schema."
    )
    assert "Loopt achter" not in html


def test_a_closed_contract_shows_its_outcome_and_no_on_track_state(client, alice, carol, lagging):
    settlement(lagging, "partly", obligation="25000.00", approved="4000.00", reason="Te weinig plekken")
    follow(lagging, carol, S.CLOSED)
    client.force_login(alice)
    html = client.get(reverse("monitoring:contract", args=[lagging.uuid])).content.decode()
    assert 'data-testid="on-track"' not in html
    assert "De SROI-coördinator heeft het contract afgerond: deels gerealiseerd." in schedule_of(html)
    assert "Loopt achter" not in html and "Op schema" not in html
    row = row_of(client.get(LIST).content.decode(), "INK-LAG")
    assert "Loopt achter" not in row
