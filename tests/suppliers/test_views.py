"""The typeahead endpoint and the add-supplier dialog, through the test client."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from suppliers.models import Supplier
from tests.factories import member
from tests.suppliers.factories import SupplierFactory
from wizzr.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def advisor_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bakkerij(db):
    return SupplierFactory(
        legal_name="Bakkerij De Zoete Inval", trade_name="De Zoete Inval", kvk_number="40000001",
        branch_number="000040000001", street="Kerkstraat", house_number="3", postcode="6811 AB", city="Arnhem",
    )


def search(client, q, **extra):
    return client.get(reverse("suppliers:search"), {"q": q, "listbox": "id_supplier_listbox", **extra}, **HTMX)


def results_event(response) -> dict:
    header = response.headers.get("HX-Trigger-After-Swap") or response.headers.get("HX-Trigger")
    return json.loads(header)["supplierResults"]


class TestSearchEndpoint:
    def test_it_returns_options_with_name_address_and_numbers(self, advisor_client, bakkerij):
        response = search(advisor_client, "bakk")
        assert response.status_code == 200
        body = response.content.decode()
        assert 'role="option"' in body
        assert 'id="id_supplier_listbox-0"' in body
        assert "Bakkerij De Zoete Inval" in body and "De Zoete Inval" in body
        assert "Kerkstraat 3, 6811 AB Arnhem" in body
        assert "40000001" in body and "000040000001" in body
        assert results_event(response) == {
            "count": 1, "message": "1 opdrachtnemer gevonden. Gebruik pijl omlaag en omhoog om te kiezen.", "more": ""
        }

    def test_each_option_carries_the_data_the_form_fills_in(self, advisor_client, bakkerij):
        body = search(advisor_client, "bakk").content.decode()
        raw = body.split('data-supplier="', 1)[1].split('"', 1)[0]
        data = json.loads(raw.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&"))
        assert data["uuid"] == str(bakkerij.uuid)
        assert data["address"] == "Kerkstraat 3, 6811 AB Arnhem"
        assert data["label"] == "Bakkerij De Zoete Inval, Arnhem"

    def test_no_match_says_so_and_points_to_the_add_button(self, advisor_client, bakkerij):
        response = search(advisor_client, "xqzvbnw")
        assert 'role="option"' not in response.content.decode()
        assert results_event(response)["count"] == 0
        assert "Voeg hem toe met de knop naast het veld" in results_event(response)["message"]

    def test_supplier_names_are_escaped(self, advisor_client):
        SupplierFactory(legal_name='<script>alert("x")</script> Bakkerij')
        body = search(advisor_client, "bakkerij").content.decode()
        assert "<script>" not in body and "&lt;script&gt;" in body

    @pytest.mark.parametrize("q", ["%", "_", "\\", "'", '"', "\x00", "a" * 500, "😀", "%_\\'\"\x00😀"])
    def test_hostile_input_is_answered_normally(self, advisor_client, bakkerij, q):
        assert search(advisor_client, q).status_code == 200

    def test_a_hostile_listbox_id_is_replaced(self, advisor_client, bakkerij):
        body = search(advisor_client, "bakk", listbox='x" onmouseover="alert(1)').content.decode()
        assert "onmouseover" not in body and 'id="supplier-listbox-0"' in body

    def test_a_keystroke_runs_no_count(self, advisor_client, bakkerij):
        with CaptureQueriesContext(connection) as queries:
            search(advisor_client, "bakkerij arnhem")
        counts = [q["sql"] for q in queries if "count(" in q["sql"].lower() and "supplier" in q["sql"].lower()]
        assert counts == []

    @override_settings(WIZZR_SUPPLIER_SEARCH_RATE="3/m")
    def test_it_is_rate_limited_per_user(self, advisor_client, bob, client, bakkerij, monkeypatch):
        from suppliers import ratelimit

        monkeypatch.setattr(ratelimit, "_counter", ratelimit.ProcessCounter())
        for _ in range(3):
            assert search(advisor_client, "bakk").status_code == 200
        response = search(advisor_client, "bakk")
        assert response.status_code == 429
        assert "te snel" in json.loads(response.headers["HX-Trigger"])["supplierResults"]["message"]
        client.force_login(bob)
        assert search(client, "bakk").status_code == 200

    @override_settings(WIZZR_SUPPLIER_SEARCH_RATE="15/m")
    def test_the_limit_counts_every_process_of_the_user(self, alice, bakkerij, monkeypatch):
        from django.test import Client

        from suppliers import ratelimit

        first_process, second_process = ratelimit.ProcessCounter(), ratelimit.ProcessCounter()
        first, second = Client(), Client()
        first.force_login(alice)
        second.force_login(alice)
        monkeypatch.setattr(ratelimit, "_counter", first_process)
        for _ in range(10):
            assert search(first, "bakk").status_code == 200
        monkeypatch.setattr(ratelimit, "_counter", second_process)
        statuses = [search(second, "bakk").status_code for _ in range(11)]
        # The second process learns the first one's ten requests when it reports its own, after
        # the tenth response.
        assert statuses[:10] == [200] * 10 and statuses[10] == 429
        monkeypatch.setattr(ratelimit, "_counter", first_process)
        assert search(first, "bakk").status_code == 200  # not yet told
        assert [search(first, "bakk").status_code for _ in range(5)][-1] == 429

    def test_the_shared_count_is_reported_after_the_response_is_sent(self, alice, advisor_client, bakkerij, monkeypatch):
        """The keystroke that is due to report its process's count answers first: the cache is
        written when the server closes the response, not while the user waits for it."""
        from django.core.cache import cache
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections
        from django.test import RequestFactory

        from suppliers import ratelimit

        counter = ratelimit.ProcessCounter()
        monkeypatch.setattr(ratelimit, "_counter", counter)
        for _ in range(ratelimit.FLUSH_EVERY - 1):
            assert search(advisor_client, "bakk").status_code == 200
        key = f"supplier-search:{alice.pk}:{counter.window}"
        assert cache.get(key) is None
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in advisor_client.cookies.items())
        environ = RequestFactory().get(
            reverse("suppliers:search"), {"q": "bakk"}, HTTP_COOKIE=cookie, **HTMX
        ).environ
        statuses = []
        # As Django's test client does: keep the test's database connection across the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
            body = b"".join(response)
            assert statuses == ["200 OK"] and b"Bakkerij" in body
            assert cache.get(key) is None  # answered; nothing reported yet
            response.close()  # what the WSGI server does once the response has been sent
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        assert cache.get(key) == ratelimit.FLUSH_EVERY
        assert counter.counts[("supplier-search", alice.pk)] == [0, ratelimit.FLUSH_EVERY]

    def test_a_keystroke_does_not_write_the_session(self, advisor_client, bakkerij):
        search(advisor_client, "bakk")  # the first request of a session may renew it
        with CaptureQueriesContext(connection) as queries:
            for _ in range(3):
                assert search(advisor_client, "bakk").status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
        assert writes == []

    def test_anonymous_visitors_are_sent_to_login(self, client, bakkerij):
        response = search(client, "bakk")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_a_supplier_contact_may_not_search_the_registry(self, client, arnhem, bakkerij):
        contact = member("contact@bouw.example", arnhem, Role.SUPPLIER)
        client.force_login(contact)
        assert search(client, "bakk").status_code == 403

    def test_a_coordinator_may_search(self, client, carol, bakkerij):
        client.force_login(carol)
        assert search(client, "bakk").status_code == 200


VALID = {
    "legal_name": "Hoveniersbedrijf Groenrijk B.V.",
    "trade_name": "Groenrijk",
    "kvk_number": "8765 4321",
    "branch_number": "000087654321",
    "street": "Parkweg",
    "house_number": "7",
    "postcode": "6821ab",
    "city": "Arnhem",
    "phone": "026 123 45 67",
    "email": "info@groenrijk.example",
    "website": "www.groenrijk.example",
}


def add(client, **changes):
    return client.post(reverse("suppliers:add"), {**VALID, **changes}, **HTMX)


class TestAddDialog:
    def test_it_opens_as_a_dialog_with_the_typed_name(self, advisor_client):
        response = advisor_client.get(reverse("suppliers:add"), {"naam": "Groenrijk"}, **HTMX)
        body = response.content.decode()
        assert response.status_code == 200
        assert "<dialog" in body and "Opdrachtnemer toevoegen" in body
        assert 'value="Groenrijk"' in body

    def test_a_valid_company_is_stored_and_selected(self, advisor_client, alice):
        response = add(advisor_client)
        assert response.status_code == 204
        created = json.loads(response.headers["HX-Trigger"])["supplierCreated"]
        supplier = Supplier.objects.get(kvk_number="87654321")
        assert created["uuid"] == str(supplier.uuid)
        assert created["label"] == "Hoveniersbedrijf Groenrijk B.V., Arnhem"
        assert supplier.postcode == "6821 AB"
        assert supplier.website == "https://www.groenrijk.example"
        assert supplier.source == Supplier.Source.USER and supplier.added_by == alice
        assert AuditEvent.objects.filter(action="supplier.created", object_id=str(supplier.uuid), actor=alice).exists()

    def test_the_new_supplier_is_found_by_the_typeahead_at_once(self, advisor_client):
        add(advisor_client)
        assert "Hoveniersbedrijf Groenrijk" in search(advisor_client, "groenr").content.decode()

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("kvk_number", "1234567", "Een KvK-nummer bestaat uit 8 cijfers."),
            ("kvk_number", "1234567a", "Een KvK-nummer bestaat uit 8 cijfers."),
            ("branch_number", "12345", "Een vestigingsnummer bestaat uit 12 cijfers."),
            ("postcode", "123 AB", "Vul een Nederlandse postcode in, zoals 1234 AB."),
            ("postcode", "1234 SS", "Vul een Nederlandse postcode in, zoals 1234 AB."),
            ("email", "info@", "Vul een geldig e-mailadres in, zoals info@voorbeeld.nl."),
            ("website", "niet een adres", "Vul een geldig webadres in, zoals https://www.voorbeeld.nl."),
            ("legal_name", "", "Vul de statutaire naam van het bedrijf in."),
            ("city", "", "Vul de plaats in."),
        ],
    )
    def test_bad_input_is_explained_in_dutch_and_kept(self, advisor_client, field, value, message):
        response = add(advisor_client, **{field: value})
        body = response.content.decode()
        assert response.status_code == 200
        assert message in body
        assert 'value="Hoveniersbedrijf Groenrijk B.V."' in body or field == "legal_name"
        assert "<dialog" not in body  # only the form is swapped, the dialog stays open
        assert not Supplier.objects.filter(kvk_number="87654321").exists()

    def test_a_duplicate_kvk_and_branch_offers_the_existing_entry(self, advisor_client):
        existing = SupplierFactory(legal_name="Groenrijk Hoveniers", kvk_number="87654321", branch_number="000087654321")
        body = add(advisor_client, legal_name="Iets Anders B.V.").content.decode()
        assert "staat al in het register" in body
        assert "data-supplier-pick=" in body and str(existing.uuid) in body
        assert Supplier.objects.filter(kvk_number="87654321").count() == 1

    def test_a_duplicate_that_was_merged_offers_the_entry_it_was_merged_into(self, advisor_client):
        keep = SupplierFactory(legal_name="Groenrijk Hoveniers")
        SupplierFactory(kvk_number="87654321", branch_number="000087654321", is_active=False, merged_into=keep)
        body = add(advisor_client).content.decode()
        assert str(keep.uuid) in body

    def test_a_similar_name_in_the_same_place_is_a_warning_that_can_be_overruled(self, advisor_client):
        similar = SupplierFactory(legal_name="Hoveniersbedrijf Groenrijk", city="Arnhem", kvk_number="11112222")
        body = add(advisor_client).content.decode()
        assert "vergelijkbare naam in Arnhem" in body and str(similar.uuid) in body
        assert 'name="confirm_similar"' in body
        assert not Supplier.objects.filter(kvk_number="87654321").exists()
        assert add(advisor_client, confirm_similar="on").status_code == 204
        assert Supplier.objects.filter(kvk_number="87654321").exists()

    def test_a_similar_name_elsewhere_is_no_reason_to_warn(self, advisor_client):
        SupplierFactory(legal_name="Hoveniersbedrijf Groenrijk", city="Zwolle", kvk_number="11112222")
        assert add(advisor_client).status_code == 204

    def test_extra_fields_are_ignored(self, advisor_client, alice):
        add(advisor_client, source="registry", is_active="", added_by="", merged_into="1")
        supplier = Supplier.objects.get(kvk_number="87654321")
        assert supplier.source == Supplier.Source.USER and supplier.is_active and supplier.merged_into is None

    def test_without_htmx_it_is_a_page_that_redirects_after_saving(self, advisor_client):
        page = advisor_client.get(reverse("suppliers:add"))
        assert page.status_code == 200 and "<main" in page.content.decode()
        response = advisor_client.post(reverse("suppliers:add"), VALID)
        assert response.status_code == 302

    def test_a_supplier_contact_may_not_add(self, client, arnhem):
        client.force_login(member("contact@bouw.example", arnhem, Role.SUPPLIER))
        assert add(client).status_code == 403
        assert not Supplier.objects.exists()



def test_the_search_prefers_the_region_of_the_users_organisation(advisor_client, arnhem):
    SupplierFactory(legal_name="Aardbei Schoonmaak", postcode="1011 AB", city="Amsterdam")
    SupplierFactory(legal_name="Bes Schoonmaak", postcode="6811 AB", city="Arnhem")
    body = search(advisor_client, "schoonmaak").content.decode()
    assert body.index("Aardbei Schoonmaak") < body.index("Bes Schoonmaak")  # no region known: alphabetical
    arnhem.postcode = "6811 GD"
    arnhem.save()
    body = search(advisor_client, "schoonmaak").content.decode()
    assert body.index("Bes Schoonmaak") < body.index("Aardbei Schoonmaak")
