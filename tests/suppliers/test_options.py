"""The typeahead's options: what each establishment shows, the marked match, the accessible name and
the hint when more match than are shown."""

import json
import re

import pytest
from django.test import RequestFactory

from suppliers.options import highlight, listbox_id, more_text, options_response
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heuvel(db):
    common = {"legal_name": "Bouwbedrijf Van den Heuvel B.V.", "trade_name": "Van den Heuvel Bouw", "kvk_number": "30012345"}
    return [
        SupplierFactory(**common, branch_number="000012345678", is_main_branch=True, street="Velperweg",
                        house_number="10", postcode="6824 BJ", city="Arnhem"),
        SupplierFactory(**common, branch_number="000012345679", is_main_branch=False, street="Galvanistraat", house_number="5",
                        postcode="6716 AE", city="Ede"),
        SupplierFactory(**common, branch_number="000012345680", is_main_branch=False, street="Graafseweg", house_number="200",
                        postcode="6532 ZV", city="Nijmegen"),
    ]


def event(response) -> dict:
    return json.loads(response.headers["HX-Trigger-After-Swap"])["supplierResults"]


def options(body: str) -> list[str]:
    return re.findall(r"<li .*?</li>", body, flags=re.S)


class TestHighlight:
    def test_the_start_of_each_matching_word_is_marked(self):
        assert highlight("Bouwbedrijf Van den Heuvel", ["heuv", "bouw"]) == (
            "<mark>Bouw</mark>bedrijf Van den <mark>Heuv</mark>el"
        )

    def test_accents_and_case_do_not_matter(self):
        assert highlight("Café 't Hoekje", ["cafe"]) == "<mark>Café</mark> &#x27;t Hoekje"

    def test_only_word_starts_are_marked(self):
        assert highlight("Debouw", ["bouw"]) == "Debouw"

    def test_digits_are_marked_like_words(self):
        assert highlight("30012345", ["3001"]) == "<mark>3001</mark>2345"

    @pytest.mark.parametrize(
        "name",
        ['<script>alert("x")</script> Bouw', "<mark>Bouw</mark>", "Bouw & Zn <img src=x onerror=alert(1)>", '"><b>Bouw'],
    )
    def test_hostile_names_are_escaped_before_marking(self, name):
        marked = str(highlight(name, ["bouw", "script", "mark", "img", "b"]))
        assert "<script" not in marked and "<img" not in marked and "<b>" not in marked
        # Only our own <mark> tags are markup; everything else is text.
        assert re.sub(r"</?mark>", "", marked).count("<") == 0

    def test_no_terms_is_plain_escaped_text(self):
        assert highlight("A & B", []) == "A &amp; B"


class TestOptions:
    def test_each_option_shows_everything_that_tells_establishments_apart(self, heuvel):
        body = options_response(heuvel, listbox="lb", searchable=True, query="heuvel").content.decode()
        items = options(body)
        assert len(items) == 3
        arnhem, ede, nijmegen = items
        for text in ("Velperweg 10", "6824 BJ Arnhem", "30012345", "000012345678", "hoofdvestiging", "Van den Heuvel Bouw"):
            assert text in re.sub(r"</?mark>", "", arnhem), text
        assert "Galvanistraat 5, 6716 AE Ede" in ede and "000012345679" in ede and "hoofdvestiging" not in ede
        assert "<mark>Heuvel</mark>" in nijmegen

    def test_each_option_is_named_by_name_place_and_establishment(self, heuvel):
        body = options_response(heuvel, listbox="lb", searchable=True, query="heuvel").content.decode()
        labels = re.findall(r'aria-label="([^"]*)"', body)
        assert labels == [
            "Bouwbedrijf Van den Heuvel B.V. (Van den Heuvel Bouw), Arnhem, hoofdvestiging 000012345678",
            "Bouwbedrijf Van den Heuvel B.V. (Van den Heuvel Bouw), Ede, vestiging 000012345679",
            "Bouwbedrijf Van den Heuvel B.V. (Van den Heuvel Bouw), Nijmegen, vestiging 000012345680",
        ]
        assert 'aria-describedby="lb-1-address lb-1-numbers"' in body
        assert 'id="lb-1-address"' in body and 'id="lb-1-numbers"' in body

    def test_the_terms_of_the_search_are_marked_rather_than_the_raw_input(self, heuvel):
        body = options_response(heuvel[:1], listbox="lb", searchable=True, query="xyz", highlight_terms=["velper"]).content.decode()
        assert "<mark>Velper</mark>weg" in body

    def test_hostile_names_stay_text_in_the_options(self):
        supplier = SupplierFactory(legal_name='Bouw <img src=x onerror="alert(1)">', city="<b>Ede</b>")
        body = options_response([supplier], listbox="lb", searchable=True, query="bouw img").content.decode()
        assert "<img" not in body and "<b>" not in body
        assert "&lt;img" in body and "<mark>Bouw</mark>" in body
        assert 'aria-label="Bouw &lt;img src=x onerror=&quot;alert(1)&quot;&gt;, &lt;b&gt;Ede&lt;/b&gt;, hoofdvestiging' in body

    def test_more_matches_are_announced_with_how_to_narrow(self, heuvel):
        response = options_response(heuvel, listbox="lb", searchable=True, query="heuvel", more=230)
        detail = event(response)
        assert detail["count"] == 3
        assert detail["more"] == "Nog 230 resultaten — typ een plaats of KvK-nummer"
        assert detail["message"].endswith("Nog 230 resultaten — typ een plaats of KvK-nummer.")
        assert more_text(1) == "Nog 1 resultaat — typ een plaats of KvK-nummer"
        assert more_text(150, estimate=True) == "Nog ongeveer 150 resultaten — typ een plaats of KvK-nummer"
        assert more_text(1000, estimate=True) == "Nog meer dan 1.000 resultaten — typ een plaats of KvK-nummer"

    def test_no_hint_when_everything_is_shown(self, heuvel):
        assert event(options_response(heuvel, listbox="lb", searchable=True, more=0))["more"] == ""
        assert event(options_response(heuvel, listbox="lb", searchable=True, more=None))["more"] == ""

    def test_the_option_data_names_the_establishment_and_the_registry_contact(self, heuvel):
        body = options_response(heuvel[:1], listbox="lb", searchable=True).content.decode()
        raw = body.split('data-supplier="', 1)[1].split('"', 1)[0]
        data = json.loads(raw.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&"))
        assert data["establishment"] == "Bouwbedrijf Van den Heuvel B.V., Arnhem (hoofdvestiging 000012345678)"
        assert {"contact_name", "contact_email", "contact_phone"} <= data.keys()


def test_a_hostile_listbox_id_is_replaced():
    request = RequestFactory().get("/", {"listbox": 'x" onmouseover="alert(1)'})
    assert listbox_id(request) == "supplier-listbox"
    assert listbox_id(RequestFactory().get("/", {"listbox": "id_supplier_listbox"})) == "id_supplier_listbox"


class TestEstablishmentLabel:
    def test_it_names_place_and_establishment(self, heuvel):
        assert heuvel[0].establishment_label == "Bouwbedrijf Van den Heuvel B.V., Arnhem (hoofdvestiging 000012345678)"
        assert heuvel[1].establishment_label == "Bouwbedrijf Van den Heuvel B.V., Ede (vestiging 000012345679)"

    def test_without_a_branch_number(self):
        assert SupplierFactory(legal_name="Jansen", city="Zwolle", branch_number="", is_main_branch=False).establishment_label == "Jansen, Zwolle"


class TestThroughTheSearch:
    @pytest.fixture
    def advisor_client(self, client, alice):
        client.force_login(alice)
        return client

    def search(self, client, q):
        from django.urls import reverse

        return client.get(reverse("suppliers:search"), {"q": q, "listbox": "lb"}, HTTP_HX_REQUEST="true")

    def test_word_order_and_a_typo_mark_the_words_as_they_are_written(self, advisor_client, heuvel):
        body = self.search(advisor_client, "heuvel bouwbedrjf ede").content.decode()
        first = options(body)[0]
        assert 'aria-label="Bouwbedrijf Van den Heuvel B.V. (Van den Heuvel Bouw), Ede, vestiging 000012345679"' in first
        assert "<mark>Bouwbedrijf</mark>" in first and "<mark>Heuvel</mark>" in first and "<mark>Ede</mark>" in first

    def test_more_matches_than_shown_are_counted_and_hinted(self, advisor_client):
        for n in range(13):
            SupplierFactory(legal_name=f"Schildersbedrijf Kleur {n:02d}", kvk_number=f"{71000000 + n}")
        detail = event(self.search(advisor_client, "schilders"))
        assert detail["count"] == 10
        assert detail["more"] == "Nog 3 resultaten — typ een plaats of KvK-nummer"
