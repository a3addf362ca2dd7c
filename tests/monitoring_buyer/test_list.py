"""Monitoren contracten — individueel: the user's contracts, filtered, sorted and paged in place."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from tests.contracts.factories import ContractFactory
from tests.factories import member
from tests.monitoring_buyer.conftest import follow
from wizzr.models import Role

pytestmark = pytest.mark.django_db
LIST = reverse("monitoring:individual")


def row_of(html: str, number: str) -> str:
    """The table row of contract ``number``."""
    return next(row for row in html.split('<tr class="utrecht-table__row') if f">{number}</a>" in row)


def rows(html: str) -> list[str]:
    """The contract numbers in the table body, in order."""
    body = html.split('<tbody class="utrecht-table__body">', 1)[1].split("</tbody>", 1)[0] if "<tbody" in html else ""
    return re.findall(
        r'<a class="utrecht-link mb-table__number" href="/(?:monitoren/contracten|contracten)/[0-9a-f-]+/(?:wijzigen/)?">([^<]+)</a>',
        body,
    )


def test_an_advisor_sees_the_contracts_of_her_organisation_concepts_included(client, alice, portfolio):
    client.force_login(alice)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert sorted(rows(html)) == ["CONCEPT-3", "INK-A1", "INK-B2", "INK-D4"]
    assert "4 contracten gevonden." in html
    assert "REN-1" not in html and "UTR-1" not in html


def test_a_concept_shows_as_concept_with_a_link_to_continue(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    edit = reverse("contracts:edit", args=[portfolio.draft.uuid])
    assert f'href="{edit}">Verder invullen' in html
    assert '<span class="wizzr-status wizzr-status--draft">Concept</span>' in html
    assert reverse("monitoring:contract", args=[portfolio.draft.uuid]) not in html


def test_the_coordinator_sees_the_handed_over_contracts_of_the_authorities_she_serves(client, carol, portfolio):
    client.force_login(carol)
    html = client.get(LIST).content.decode()
    assert sorted(rows(html)) == ["INK-A1", "INK-B2", "INK-D4", "REN-1"]
    assert "CONCEPT-3" not in html and "UTR-1" not in html
    # Two authorities: the organisation filter shows, starting at all of them (carol works for the service point).
    assert 'name="organisation"' in html
    assert '<option value="alle" selected>Alle organisaties</option>' in html


def test_each_row_shows_obligation_realised_progress_in_words_and_coordinator(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    row = row_of(html, "INK-A1")
    assert "Onderhoud openbare ruimte" in row and "Groenbedrijf Veluwe B.V." in row
    assert "12.500,00" in row  # obligation
    assert "3.000,00" in row  # approved only: submitted and rejected do not count
    assert "24 %" in row  # progress as text, not only a bar
    assert "Loopt achter" in row
    assert "Carol Visser" in row
    on_track = row_of(html, "INK-B2")
    assert "80 %" in on_track and "Loopt achter" not in on_track
    assert "nog niet toegewezen" in on_track


def test_each_row_has_a_menu_button_whose_monitor_item_opens_the_contract(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    uuid = portfolio.behind.uuid
    assert (
        f'id="mb-menu-button-{uuid}" aria-haspopup="true" aria-expanded="false" aria-controls="mb-menu-{uuid}"' in html
    )
    assert "Acties voor INK-A1" in html
    menu = html.split(f'id="mb-menu-{uuid}"', 1)[1].split("</ul>", 1)[0]
    assert f'href="{reverse("monitoring:contract", args=[uuid])}"' in menu
    assert "Contract monitoren" in menu
    assert 'role="menuitem"' in menu


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=stadhuis", ["INK-B2"]),  # title
        ("q=ink-a", ["INK-A1"]),  # contract number, any case
        ("q=glans", ["INK-B2", "INK-D4"]),  # trade name of the supplier
        ("q=VELUWE", ["CONCEPT-3", "INK-A1"]),  # legal name of the supplier, any case
        ("q=oost&status=closed", ["INK-D4"]),  # the supplier's name among the contracts of another filter
        ("q=renkums", []),  # the supplier of another tenant's contract only
        ("q=domstad", []),
        ("status=closed", ["INK-D4"]),
        ("status=draft", ["CONCEPT-3"]),
        ("year=2023", ["INK-D4"]),
        ("behind=on", ["INK-A1"]),
        ("coordinator=geen", ["CONCEPT-3", "INK-B2"]),
    ],
)
def test_filters_narrow_the_list(client, alice, portfolio, query, expected):
    client.force_login(alice)
    assert sorted(rows(client.get(f"{LIST}?{query}").content.decode())) == expected


def test_the_supplier_and_coordinator_filters_offer_only_what_the_user_may_see(client, alice, carol, portfolio):
    client.force_login(alice)
    groen = portfolio.suppliers["groen"]
    response = client.get(f"{LIST}?supplier={groen.uuid}&coordinator={carol.uuid}")
    html = response.content.decode()
    assert rows(html) == ["INK-A1"]
    # The chosen supplier stands in the filter's typeahead; its hidden input carries the UUID.
    assert f'name="supplier" value="{groen.uuid}"' in html
    assert 'value="Groenbedrijf Veluwe B.V.' in html

    def offered(typed: str) -> str:
        return client.get(reverse("monitoring:supplier_options"), {"q": typed}).content.decode()

    assert "Groenbedrijf Veluwe B.V." in offered("groen") and "Glans Schoonmaak" in offered("glans")
    assert "Renkums Bouw" not in offered("renkum") and "Domstad" not in offered("domstad")


def test_the_supplier_typeahead_of_the_filter_matches_unaccented_names_places_and_kvk_digits(client, alice, portfolio):
    client.force_login(alice)
    groen = portfolio.suppliers["groen"]

    def offered(typed: str) -> str:
        response = client.get(reverse("monitoring:supplier_options"), {"q": typed, "listbox": "id_supplier_listbox"})
        assert response.status_code == 200
        return response.content.decode()

    assert "Groenbedrijf Veluwe B.V." in offered("GRÖEN")
    assert "Groenbedrijf Veluwe B.V." in offered(groen.kvk_number[:5])
    assert 'id="id_supplier_listbox-0"' in offered("groen")
    nothing = client.get(reverse("monitoring:supplier_options"), {"q": "zzzz"})
    assert "Geen uitvoerende partij van uw contracten gevonden." in nothing.headers["HX-Trigger-After-Swap"]
    assert client.get(reverse("monitoring:supplier_options"), {"q": "%_\\"}).status_code == 200


def test_the_supplier_filter_sends_no_list_of_every_supplier(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    assert "Glans Schoonmaak" in html  # a row of the table
    filter_form = html.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert "Glans Schoonmaak" not in filter_form and "Groenbedrijf" not in filter_form


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "supplier={other_supplier}",
        "organisation={other_organisation}",
        "coordinator={frank}",
        "page=-1",
        "page=abc",
        "page=999",
        "o=unknown",
        "o=-;drop",
        "year=abc",
        "year=1700",
        "per_page=100000",
        "behind=maybe",
    ],
)
def test_hostile_filter_values_give_a_normal_page(client, alice, frank, utrecht, portfolio, query):
    client.force_login(alice)
    query = query.format(
        other_supplier=portfolio.suppliers["utrecht"].uuid, other_organisation=utrecht.uuid, frank=frank.uuid
    )
    response = client.get(f"{LIST}?{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "UTR-1" not in html and "Domstad" not in html
    assert rows(html)  # still the user's own contracts, the bad value ignored


def test_another_tenants_supplier_is_not_a_valid_choice(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(f"{LIST}?supplier={portfolio.suppliers['renkum'].uuid}").content.decode()
    assert sorted(rows(html)) == ["CONCEPT-3", "INK-A1", "INK-B2", "INK-D4"]
    assert "utrecht-form-field--invalid" in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("contractnummer", ["CONCEPT-3", "INK-A1", "INK-B2", "INK-D4"]),
        ("-contractnummer", ["INK-D4", "INK-B2", "INK-A1", "CONCEPT-3"]),
        ("-gerealiseerd", ["INK-D4", "INK-B2", "INK-A1", "CONCEPT-3"]),
        ("-verplichting", ["INK-A1", "INK-D4", "INK-B2", "CONCEPT-3"]),  # equal obligations: newest first
        ("voortgang", ["INK-A1", "INK-B2", "INK-D4", "CONCEPT-3"]),
        ("looptijd", ["INK-D4", "INK-A1", "INK-B2", "CONCEPT-3"]),
        ("opdrachtnemer", ["INK-B2", "INK-D4", "CONCEPT-3", "INK-A1"]),
    ],
)
def test_columns_sort_both_ways(client, alice, portfolio, sort, expected):
    client.force_login(alice)
    rows_seen = rows(client.get(f"{LIST}?o={sort}").content.decode())
    if sort == "opdrachtnemer":  # Glans Schoonmaak before Groenbedrijf; ties by id
        assert rows_seen[:2] == ["INK-B2", "INK-D4"] and set(rows_seen[2:]) == {"CONCEPT-3", "INK-A1"}
    else:
        assert rows_seen == expected


def test_the_sorted_column_is_announced_and_its_link_turns_the_order_around(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(f"{LIST}?o=opdrachtnemer&status=in_progress").content.decode()
    heading = html.split('aria-sort="ascending"', 1)[1].split("</th>", 1)[0]
    assert "Uitvoerende partij" in heading
    assert 'href="?o=-opdrachtnemer&amp;status=in_progress"' in heading


def test_pages_keep_the_filters_and_the_page_size_is_a_choice(client, alice, arnhem, portfolio):
    for n in range(12):
        ContractFactory(organisation=arnhem, contract_number=f"EXTRA-{n:02d}", handed_over=True)
    client.force_login(alice)
    html = client.get(f"{LIST}?per_page=10&q=extra&o=contractnummer").content.decode()
    assert rows(html) == [f"EXTRA-{n:02d}" for n in range(10)]
    assert "Pagina 1 van 2" in html
    assert 'href="?per_page=10&amp;q=extra&amp;o=contractnummer&amp;page=2"' in html
    second = client.get(f"{LIST}?per_page=10&q=extra&o=contractnummer&page=2").content.decode()
    assert rows(second) == ["EXTRA-10", "EXTRA-11"]


def test_htmx_gets_only_the_results_and_the_sort_for_the_form(client, alice, portfolio):
    client.force_login(alice)
    response = client.get(f"{LIST}?o=-titel", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="results"' in html
    assert '<input type="hidden" name="o" id="filter-sort" value="-titel" hx-swap-oob="true">' in html
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}).content.decode()
    assert "<html" in html and 'role="search"' in html


def test_an_advisor_without_contracts_is_invited_to_start_one(client, dave):
    client.force_login(dave)
    html = client.get(LIST).content.decode()
    assert "Er zijn nog geen inkoopcontracten om te volgen." in html
    assert f'href="{reverse("contracts:create")}">Opstarten nieuw contract' in html


def test_a_coordinator_without_contracts_is_not_offered_to_start_one(client, frank):
    client.force_login(frank)
    html = client.get(LIST).content.decode()
    assert "Zodra een opdrachtgever een inkoopcontract overdraagt" in html
    assert reverse("contracts:create") not in html


def test_a_filter_without_matches_says_so_and_offers_to_clear(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(f"{LIST}?q=bestaatniet").content.decode()
    assert "Er zijn geen inkoopcontracten die aan deze filters voldoen." in html
    assert "Opstarten nieuw contract" not in html


def test_a_user_of_several_organisations_starts_with_the_current_one_and_can_choose(client, arnhem, renkum, portfolio):
    mila = member("mila@mgb.example", arnhem, Role.ADVISOR, name="Mila Bakker")
    member("mila@mgb.example", renkum, Role.ADVISOR)
    mila.refresh_from_db()
    client.force_login(mila)
    html = client.get(LIST).content.decode()
    assert sorted(rows(html)) == ["CONCEPT-3", "INK-A1", "INK-B2", "INK-D4"]
    assert f'<option value="{arnhem.uuid}" selected>Gemeente Arnhem</option>' in html
    assert rows(client.get(f"{LIST}?organisation={renkum.uuid}").content.decode()) == ["REN-1"]
    assert len(rows(client.get(f"{LIST}?organisation=alle").content.decode())) == 5
    # Renkum's rows name their organisation when several are shown.
    assert "Gemeente Renkum" in client.get(f"{LIST}?organisation=alle").content.decode()


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_supplier_contact_may_not_monitor(client, portfolio):
    from wizzr.models import Organisation

    company = Organisation.objects.create(name="Groenbedrijf", slug="groenbedrijf", kind=Organisation.Kind.SUPPLIER)
    supplier_user = member("jan@groen.example", company, Role.SUPPLIER)
    client.force_login(supplier_user)
    assert client.get(LIST).status_code == 403


def _own_queries(client, url: str) -> int:
    """Queries of ``url`` minus those every page makes (session, user, header, session save), measured
    on a page that makes none of its own."""
    client.get(reverse("accessibility"))  # the first request after a login renews the session
    client.get(url)  # what is kept in the cache for minutes (the year span) is read, not computed
    with CaptureQueriesContext(connection) as base:
        client.get(reverse("accessibility"))
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200
    return len(page) - len(base)


def test_the_list_makes_a_small_constant_number_of_queries_whatever_the_page_size(
    client, alice, arnhem, portfolio, django_assert_max_num_queries
):
    client.force_login(alice)
    few = _own_queries(client, f"{LIST}?per_page=10")
    for n in range(60):
        contract = ContractFactory(organisation=arnhem, contract_number=f"MANY-{n:02d}", handed_over=True)
        follow(contract, None, Contract.Status.IN_PROGRESS)
    many = _own_queries(client, f"{LIST}?per_page=100")
    assert few == many <= 8
    assert _own_queries(client, f"{LIST}?per_page=100&o=-gerealiseerd&behind=on&q=many") <= 8
    with CaptureQueriesContext(connection) as base:
        client.get(reverse("accessibility"))
    with django_assert_max_num_queries(len(base) + 8):
        client.get(f"{LIST}?per_page=50&page=2", headers={"HX-Request": "true"})
