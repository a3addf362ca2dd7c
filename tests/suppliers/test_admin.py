"""The registry in Django admin: search through the product's engine, exact identifiers, no count of
the whole registry, capped paging, duplicates refused, registry identifiers read-only, and the
company's other establishments and the contracts on a supplier's page."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suppliers.models import Supplier
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:suppliers_supplier_changelist"


@pytest.fixture
def staff(client):
    user = UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def registry():
    return {
        "rijn": SupplierFactory(legal_name="Bouwgroep Rijn B.V.", kvk_number="12345678", branch_number="000012345678",
                                postcode="6827 AB"),
        "rijn_ede": SupplierFactory(legal_name="Bouwgroep Rijn B.V.", trade_name="Bouwgroep Rijn Ede",
                                    kvk_number="12345678", branch_number="000012345679", postcode="6711 AA",
                                    city="Ede", is_main_branch=False),
        "neighbour": SupplierFactory(legal_name="Schildersbedrijf Oost", kvk_number="12345679",
                                     branch_number="000012345680", postcode="6827 AC"),
        "obrien": SupplierFactory(legal_name="O'Brien Installaties", kvk_number="55556666",
                                  branch_number="000055556666", postcode="1011 AB", city="Amsterdam"),
        "gone": SupplierFactory(legal_name="Oude Rijn Bouw", kvk_number="99990000", branch_number="000099990000",
                                postcode="1234 ZZ", is_active=False),
    }


def listed(response) -> set[str]:
    """The legal names in the result table."""
    body = response.content.decode()
    table = body.split('id="result_list"', 1)[1].split("</table>", 1)[0] if 'id="result_list"' in body else ""
    names = re.findall(r'<th scope="row" class="field-legal_name"><a [^>]*>([^<]+)</a>', table)
    return {html.unescape(name) for name in names}


def search(client, text: str, **params):
    response = client.get(reverse(CHANGELIST), {"q": text, **params})
    assert response.status_code == 200
    return response


def test_a_kvk_number_finds_exactly_that_company_inactive_establishments_included(client, staff, registry):
    assert listed(search(client, "12345678")) == {"Bouwgroep Rijn B.V."}
    assert "2 opdrachtnemers" in search(client, "12345678").content.decode()
    assert listed(search(client, "99990000")) == {"Oude Rijn Bouw"}


def test_a_branch_number_or_kvk_with_branch_finds_one_establishment(client, staff, registry):
    response = search(client, "000012345679")
    assert listed(response) == {"Bouwgroep Rijn B.V."} and "1 opdrachtnemer" in response.content.decode()
    assert "1 opdrachtnemer" in search(client, "12345678 000012345679").content.decode()


@pytest.mark.parametrize("text", ["6827 AB", "6827AB", "6827ab", " 6827 ab "])
def test_a_postcode_is_an_exact_lookup_however_it_is_written(client, staff, registry, text):
    assert listed(search(client, text)) == {"Bouwgroep Rijn B.V."}


def test_a_name_is_searched_with_the_typeahead_engine(client, staff, registry):
    assert listed(search(client, "bouwgr rijn")) == {"Bouwgroep Rijn B.V."}
    assert listed(search(client, "schilders oost")) == {"Schildersbedrijf Oost"}
    assert listed(search(client, "ede")) == {"Bouwgroep Rijn B.V."}


@pytest.mark.parametrize("text", ["%", "_", "'", '"', "%%", "'; --", "\\"])
def test_wildcards_and_quotes_are_plain_characters_that_match_nothing(client, staff, registry, text):
    response = search(client, text)
    assert listed(response) == set()
    assert "0 opdrachtnemers" in response.content.decode()


def test_a_quote_inside_a_name_is_just_part_of_the_name(client, staff, registry):
    assert listed(search(client, "O'Brien")) == {"O'Brien Installaties"}
    assert listed(search(client, "o%brien")) == {"O'Brien Installaties"}


def _counts_without_where(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and " WHERE " not in q["sql"].upper()]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "rijn"}, {"q": "12345678"}, {"is_active__exact": "0"}, {"source__exact": "user"}, {"p": "2"}],
)
def test_no_page_of_the_list_counts_the_whole_registry(client, staff, registry, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST), params)
    assert response.status_code in (200, 302)
    assert _counts_without_where(queries) == []


def test_a_large_registry_shows_an_estimate_and_no_more_than_200_pages(client, staff, registry, monkeypatch):
    monkeypatch.setattr("suppliers.admin.estimated_rows", lambda model: 2_600_000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST))
    body = response.content.decode()
    assert "ongeveer 2.600.000 opdrachtnemers" in body
    assert "?p=200" in body and "?p=201" not in body
    assert _counts_without_where(queries) == []
    assert not [q for q in queries if "COUNT(" in q["sql"].upper() and "suppliers_supplier" in q["sql"]]


def test_a_deep_page_shows_the_last_page_there_is_with_advice(client, staff, registry, monkeypatch):
    monkeypatch.setattr("suppliers.admin.estimated_rows", lambda model: 2_600_000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST), {"p": "5000"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "De lijst gaat tot pagina 200. Zoek of filter om verder te komen." in body
    assert '<a role="button" href="" aria-current="page">200</a>' in body
    assert not [q for q in queries if "OFFSET" in q["sql"].upper() and "OFFSET 9950" not in q["sql"].upper()]


def test_a_filtered_list_is_counted_only_up_to_what_the_pages_show(client, staff, registry, monkeypatch):
    response = client.get(reverse(CHANGELIST), {"is_active__exact": "1"})
    assert "4 opdrachtnemers" in response.content.decode()
    monkeypatch.setattr("suppliers.admin.RegistryPaginator.cap", property(lambda self: 2))
    response = client.get(reverse(CHANGELIST), {"is_active__exact": "1"})
    assert "meer dan 2 opdrachtnemers" in response.content.decode()


def _add_data(**overrides) -> dict:
    data = {
        "legal_name": "Bouwgroep Rijn", "trade_name": "", "kvk_number": "12345678", "branch_number": "000012345678",
        "is_main_branch": "on", "is_active": "on", "street": "Dijk", "house_number": "1", "postcode": "6827 AB",
        "city": "Arnhem", "phone": "", "email": "", "website": "", "_save": "Bewaren",
    }
    return {**data, **overrides}


def test_a_second_record_of_an_establishment_is_refused_with_a_link_to_the_first(client, staff, registry):
    response = client.post(reverse("admin:suppliers_supplier_add"), _add_data())
    assert response.status_code == 200
    body = response.content.decode()
    existing = reverse("admin:suppliers_supplier_change", args=[registry["rijn"].pk])
    assert "Deze vestiging staat al in het register (KvK-nummer 12345678, vestigingsnummer 000012345678)" in body
    assert f'<a href="{existing}">Bouwgroep Rijn B.V. (Arnhem)</a>' in body
    assert body.count("staat al in het register") == 1
    assert "bestaat al" not in body
    assert Supplier.objects.filter(kvk_number="12345678").count() == 2


def test_a_record_added_in_admin_is_marked_as_added_by_that_person(client, staff, registry):
    response = client.post(reverse("admin:suppliers_supplier_add"), _add_data(branch_number="000012345999"))
    assert response.status_code == 302
    added = Supplier.objects.get(branch_number="000012345999")
    assert added.source == Supplier.Source.USER and added.added_by == staff


def test_registry_identifiers_are_read_only_on_an_imported_record(client, staff, registry):
    rijn = registry["rijn"]
    url = reverse("admin:suppliers_supplier_change", args=[rijn.pk])
    body = client.get(url).content.decode()
    assert 'name="kvk_number"' not in body and 'name="branch_number"' not in body and 'name="source"' not in body
    assert "12345678" in body and "000012345678" in body
    response = client.post(url, _add_data(legal_name="Bouwgroep Rijn Arnhem", kvk_number="87654321",
                                          branch_number="000087654321"))
    assert response.status_code == 302
    rijn.refresh_from_db()
    assert rijn.legal_name == "Bouwgroep Rijn Arnhem"
    assert (rijn.kvk_number, rijn.branch_number, rijn.source) == ("12345678", "000012345678", "registry")


def test_a_record_added_by_a_person_keeps_its_identifiers_editable(client, staff):
    added = SupplierFactory(source=Supplier.Source.USER, kvk_number="44443333", branch_number="")
    body = client.get(reverse("admin:suppliers_supplier_change", args=[added.pk])).content.decode()
    assert 'name="kvk_number"' in body and 'name="branch_number"' in body


def test_the_page_lists_the_other_establishments_and_the_contracts(client, staff, registry, arnhem):
    rijn, ede = registry["rijn"], registry["rijn_ede"]
    ContractFactory(organisation=arnhem, supplier=rijn, contract_number="INK-2026-0042", title="Kademuur herstel")
    ContractFactory(organisation=arnhem, supplier=ede, contract_number="INK-2026-0043", title="Elders")
    body = client.get(reverse("admin:suppliers_supplier_change", args=[rijn.pk])).content.decode()
    section = body.split('id="other-establishments"', 1)[1].split("</section>", 1)[0]
    assert "1 andere vestiging met KvK-nummer 12345678" in section
    assert f'<a href="{reverse("admin:suppliers_supplier_change", args=[ede.pk])}">000012345679</a>' in section
    assert "Bouwgroep Rijn Ede" in section and "000012345678" not in section
    contracts = body.split('id="supplier-contracts"', 1)[1].split("</section>", 1)[0]
    assert "1 inkoopcontract" in contracts
    assert "INK-2026-0042" in contracts and "Kademuur herstel" in contracts and "Gemeente Arnhem" in contracts
    assert "Concept" in contracts and "INK-2026-0043" not in contracts


def test_long_lists_on_the_page_are_capped_with_the_total(client, staff, registry, arnhem, monkeypatch):
    monkeypatch.setattr("suppliers.admin.RELATED_LIMIT", 2)
    rijn = registry["rijn"]
    for n in range(3):
        SupplierFactory(legal_name="Bouwgroep Rijn B.V.", kvk_number="12345678", branch_number=f"00001234570{n}")
        ContractFactory(organisation=arnhem, supplier=rijn)
    body = client.get(reverse("admin:suppliers_supplier_change", args=[rijn.pk])).content.decode()
    section = body.split('id="other-establishments"', 1)[1].split("</section>", 1)[0]
    assert "4 andere vestigingen met KvK-nummer 12345678 (de eerste 2)" in section
    assert section.count("<tr>") == 3
    contracts = body.split('id="supplier-contracts"', 1)[1].split("</section>", 1)[0]
    assert "3 inkoopcontracten (de laatste 2)" in contracts and contracts.count("<tr>") == 3


def test_the_merge_confirmation_shows_what_uses_each_supplier(client, staff, registry, arnhem):
    rijn, neighbour = registry["rijn"], registry["neighbour"]
    ContractFactory(organisation=arnhem, supplier=rijn)
    ContractFactory(organisation=arnhem, supplier=rijn)
    data = {"action": "merge_suppliers", "_selected_action": [rijn.pk, neighbour.pk]}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse(CHANGELIST), data)
    body = response.content.decode()
    assert "Kies de vestiging die blijft" in body
    assert "2 inkoopcontracten" in body and "nergens gebruikt" in body
    assert _counts_without_where(queries) == []


def test_there_is_no_bulk_delete_of_the_registry(client, staff, registry):
    body = client.get(reverse(CHANGELIST)).content.decode()
    assert 'value="delete_selected"' not in body and 'value="merge_suppliers"' in body


def test_the_registrys_contact_person_is_shown_and_kept(client, staff, registry):
    response = client.post(reverse("admin:suppliers_supplier_add"), _add_data(
        branch_number="000012345998", contact_name="A. de Vries", contact_email="a.devries@rijn.example",
        contact_phone="06 12345678"))
    assert response.status_code == 302
    added = Supplier.objects.get(branch_number="000012345998")
    assert (added.contact_name, added.contact_email, added.contact_phone) == (
        "A. de Vries", "a.devries@rijn.example", "06 12345678")
    body = client.get(reverse("admin:suppliers_supplier_change", args=[added.pk])).content.decode()
    assert "Contactpersoon" in body and 'value="A. de Vries"' in body
