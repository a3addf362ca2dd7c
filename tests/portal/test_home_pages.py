"""A supplier with many contracts: the start page shows the most urgent of what is due (with the
total and a link to all of it) and its contracts a page at a time; the to-do page shows everything."""

import re

import pytest
from django.urls import reverse

from monitoring.models import Realisation
from portal import services
from portal.models import ReportingPeriod
from portal.views import CONTRACTS_PER_PAGE, START_PAGE_ITEMS
from tests.contracts.factories import ContractFactory
from tests.monitoring_buyer.factories import realisation
from tests.portal.conftest import TODAY, invite, running_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(arnhem, carol, running, sam, per_month_block):
    """``running`` plus 29 more running contracts of the same supplier, each with its reports open
    and one rejected realisation."""
    contracts = [running]
    for n in range(29):
        contract = ContractFactory(
            organisation=arnhem, contract_number=f"MP-{n:03d}", supplier=running.supplier, handed_over=True
        )
        running_contract(contract, carol, per_month_block)
        invite(contract, sam, carol)
        contracts.append(contract)
    for contract in contracts:
        services.periods_open(contract=contract, today=TODAY)
        realisation(contract, per_month_block, "100.00", status=Realisation.Status.REJECTED,
                    rejection_reason=f"Bewijs ontbreekt ({contract.contract_number})")
    return contracts


def _due_count(contracts) -> int:
    return ReportingPeriod.objects.filter(
        contract__in=contracts, status__in=[ReportingPeriod.Status.OPEN, ReportingPeriod.Status.OVERDUE]
    ).count()


def _todo_items(html: str) -> tuple[int, int]:
    todo = html.split('class="utrecht-unordered-list portal-todo"', 1)[1].split("</ul>", 1)[0]
    return len(re.findall(r"/rapportages/", todo)), len(re.findall(r"/wijzigen/", todo))


def test_the_start_page_shows_the_most_urgent_and_says_how_much_more_there_is(client, sam, many):
    client.force_login(sam)
    html = client.get(reverse("portal:home")).content.decode()
    due, rejected = _todo_items(html)
    assert (due, rejected) == (START_PAGE_ITEMS, START_PAGE_ITEMS)
    assert f"in totaal staan er {_due_count(many) + len(many)} zaken voor u klaar" in html
    assert f'href="{reverse("portal:todo")}"' in html


def test_the_to_do_page_lists_everything_of_the_supplier_only(client, sam, many, utrecht_contract, per_month_block):
    # Another organisation's contract with a rejected realisation stays out.
    realisation(utrecht_contract, per_month_block, "100.00", status=Realisation.Status.REJECTED)
    client.force_login(sam)
    html = client.get(reverse("portal:todo")).content.decode()
    due = _due_count(many)
    assert due > len(many)  # every contract has several reports open, so the start page left most out
    assert _todo_items(html) == (due, 30)
    assert utrecht_contract.contract_number not in html
    assert f"{due} rapportages om in te dienen" in html and "30 afgekeurde realisaties om te verbeteren" in html


def test_few_items_need_no_link_to_the_to_do_page(client, sam, running, per_month_block):
    services.periods_open(contract=running, today=TODAY)
    client.force_login(sam)
    html = client.get(reverse("portal:home")).content.decode()
    assert _todo_items(html)[0] >= 1
    assert 'data-testid="todo-more"' not in html


def numbers(html: str) -> list[str]:
    """The contract numbers of the start page's contract table."""
    return re.findall(r'href="/leverancier/contracten/[^"]+/">([^<]+)</a></th>', html)


def test_the_contracts_come_a_page_at_a_time(client, sam, many):
    client.force_login(sam)
    first = client.get(reverse("portal:home")).content.decode()
    second = client.get(reverse("portal:home"), {"page": 2}).content.decode()
    assert len(numbers(first)) == CONTRACTS_PER_PAGE
    assert len(numbers(second)) == len(many) - CONTRACTS_PER_PAGE
    assert not set(numbers(first)) & set(numbers(second))
    assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in second
    assert 'rel="next" href="?page=2"' in first
    # A page beyond the last shows the last, like every list.
    assert numbers(client.get(reverse("portal:home"), {"page": 99}).content.decode()) == numbers(second)
