"""What a careful user notices: filters that offer each choice once and only the years that matter,
statuses written alike, a summary that says what it does, tables whose headers are unambiguous, and
amounts that never break."""

import re

import pytest
from django.db.models import Max, Min
from django.urls import reverse

from contracts.models import Contract
from tests.html_tables import scope_is_enough, tables

pytestmark = pytest.mark.django_db


def selects(html: str) -> dict[str, list[str]]:
    """The option labels of every select, by the select's name."""
    found = {}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        found[name] = [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", body)]
    return found


def get(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", ["monitoring:individual", "monitoring:consolidated"])
def test_every_filter_of_the_buyer_offers_each_choice_once(client, alice, portfolio, page):
    client.force_login(alice)
    options = selects(get(client, page))
    assert options["year"][0] == "Alle jaren" and options["status"][0] == "Alle statussen"
    for name, labels in options.items():
        assert len(labels) == len(set(labels)), f"{name}: {labels}"
    if page == "monitoring:individual":
        assert options["coordinator"].count("Alle coördinatoren") == 1


def test_every_filter_of_the_work_queue_offers_each_choice_once(client, carol, portfolio):
    client.force_login(carol)
    options = selects(get(client, "monitoring:work_queue"))
    assert options["coordinator"][0] == "Alle coördinatoren"
    for name, labels in options.items():
        assert len(labels) == len(set(labels)), f"{name}: {labels}"


def test_the_year_filter_offers_the_years_the_contracts_span_newest_first(client, alice, portfolio):
    client.force_login(alice)
    span = Contract.objects.visible_to(alice).aggregate(first=Min("start_date"), last=Max("end_date"))
    expected = [str(y) for y in range(span["last"].year, span["first"].year - 1, -1)]
    assert selects(get(client, "monitoring:individual"))["year"] == ["Alle jaren", *expected]
    assert "2000" not in expected and len(expected) < 10


def test_the_year_filter_follows_a_new_membership_at_once(client, alice, renkum, portfolio):
    """The span is cached by the memberships it follows from, not by the user: a membership that
    brings older contracts into view offers their years on the next page, not minutes later."""
    import datetime

    from tests.contracts.factories import ContractFactory
    from wizzr.models import Membership, Role

    client.force_login(alice)
    assert "1999" not in selects(get(client, "monitoring:individual"))["year"]
    ContractFactory(organisation=renkum, contract_number="REN-1999", start_date=datetime.date(1999, 3, 1),
                    end_date=datetime.date(1999, 12, 31), handed_over=True)
    Membership.objects.create(user=alice, organisation=renkum, role=Role.ADVISOR)
    client.force_login(alice)  # a change of roles ends the user's sessions
    years = selects(get(client, "monitoring:individual"))["year"]
    assert years[-1] == "1999"
    consolidated = selects(get(client, "monitoring:consolidated"))["year"]
    assert consolidated[-1] == "1999"


def test_without_contracts_the_year_filter_offers_only_this_year(client, dave):
    client.force_login(dave)
    years = selects(get(client, "monitoring:individual"))["year"]
    assert len(years) == 2 and years[0] == "Alle jaren" and years[1].isdigit()


def test_a_draft_in_the_list_has_a_capitalised_status_like_the_others(client, alice, portfolio):
    client.force_login(alice)
    html = get(client, "monitoring:individual")
    assert 'wizzr-status--draft">Concept</span>' in html
    statuses = re.findall(r'class="wizzr-status wizzr-status--[a-z_]+">([^<]+)<', html)
    assert statuses and all(status[0].isupper() for status in statuses), statuses
    assert "Concept" in selects(get(client, "monitoring:individual"))["status"]


def test_the_information_summary_says_show_when_closed_and_hide_when_open(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(reverse("monitoring:contract", args=[portfolio.behind.uuid])).content.decode()
    summary = re.search(r'<summary class="mb-info__summary">(.*?)</summary>', html, re.S).group(1)
    assert '<span class="mb-info__show">Tonen inkoopcontract informatie</span>' in summary
    assert '<span class="mb-info__hide">Verbergen inkoopcontract informatie</span>' in summary


def test_the_tables_of_the_buyers_contract_page_need_no_headers_attributes(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(reverse("monitoring:contract", args=[portfolio.behind.uuid])).content.decode()
    found = tables(html)
    assert len(found) >= 3  # people, agreements, realisations
    for rows in found:
        assert scope_is_enough(rows), rows
        assert all(cell.get("scope") in ("col", "row") for row in rows for cell in row if cell["tag"] == "th")


def test_the_tables_of_the_coordinators_workspace_need_no_headers_attributes(client, carol, portfolio):
    client.force_login(carol)
    html = client.get(reverse("monitoring:workspace", args=[portfolio.behind.uuid])).content.decode()
    found = tables(html)
    assert len(found) >= 2  # agreements, realisations
    for rows in found:
        assert scope_is_enough(rows), rows


def test_a_total_row_that_spans_columns_with_its_header_would_be_caught():
    rows = tables(
        "<table><tr><th scope=col>A</th><th scope=col>B</th><th scope=col>C</th></tr>"
        "<tr><td>1</td><td>2</td><td>3</td></tr>"
        '<tr><th scope=row colspan="2">Totaal</th><td>3</td></tr></table>'
    )[0]
    assert not scope_is_enough(rows)


def test_the_key_figures_keep_the_euro_sign_with_the_amount(client, alice, portfolio):
    client.force_login(alice)
    html = get(client, "monitoring:consolidated")
    for key in ("value", "obligation", "planned", "approved"):
        assert re.search(rf'data-testid="kpi-{key}">€\u00a0\d', html), key
