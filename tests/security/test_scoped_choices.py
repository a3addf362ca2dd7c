"""Forms and filter sets offer only what the user may see: contracts in the help-request form, suppliers
and coordinators in the monitoring filters, contact persons in the contract form, coordinators to assign.

Each test also checks that the user's own choices are there, so it fails when a list is simply empty.
"""

from __future__ import annotations

from django.urls import reverse

from tests.factories import member
from wizzr.models import Role


def page(client, user, route, *args, **params) -> str:
    client.force_login(user)
    response = client.get(reverse(route, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def contract_options(client, user) -> str:
    """What the help-request form's contract picker offers for each of the three contract numbers."""
    return "".join(page(client, user, "knowledgebase:contract_options", q=number)
                   for number in ("REN-001", "INK-2026-0042", "UTR-001"))


def test_the_help_request_form_offers_only_the_askers_contracts(client, w):
    html = contract_options(client, w["bob"])
    assert "REN-001" in html
    assert "INK-2026-0042" not in html and "UTR-001" not in html


def test_the_help_request_form_of_the_owner_offers_their_contract(client, w):
    html = contract_options(client, w["alice"])
    assert "INK-2026-0042" in html
    assert "REN-001" not in html and "UTR-001" not in html


def test_the_supplier_filter_of_the_monitoring_list_offers_only_suppliers_of_visible_contracts(client, w):
    client.force_login(w["bob"])
    url = reverse("monitoring:supplier_options")
    for supplier, offered in (
        (w["renkum_contract"].supplier, True),
        (w["contract"].supplier, False),
        (w["utrecht_contract"].supplier, False),
    ):
        for typed in (supplier.legal_name[:6], supplier.kvk_number):
            html = client.get(url, {"q": typed}).content.decode()
            assert (supplier.legal_name in html) is offered, (supplier.legal_name, typed)


def test_the_coordinator_filter_of_the_monitoring_list_offers_no_coordinator_of_another_service_point(client, w):
    html = page(client, w["alice"], "monitoring:individual")
    assert "Frank Mulder" not in html


def test_the_contract_form_offers_only_colleagues_as_contact_persons(client, w):
    html = page(client, w["alice"], "contracts:create")
    assert "Erin Bakker" in html
    for stranger in ("Bob Jansen", "Dave Smit", "Carol Visser", "Frank Mulder", "Sam Bouwer"):
        assert stranger not in html


def test_the_contact_person_partial_refuses_an_organisation_the_user_does_not_advise(client, w):
    client.force_login(w["alice"])
    response = client.get(reverse("contracts:contact_persons"), {"organisation": str(w["renkum"].uuid)})
    assert response.status_code == 404
    assert "Bob Jansen" not in response.content.decode()


def test_the_assignment_offers_only_coordinators_of_the_contracts_service_point(client, w):
    member("gijs@steunpunt-mg.example", w["service_point"], Role.COORDINATOR, name="Gijs Hendriks")
    html = page(client, w["carol"], "monitoring:workspace", w["contract"].uuid)
    assert "Gijs Hendriks" in html
    assert "Frank Mulder" not in html


def test_the_coordinators_work_queue_offers_no_contract_of_another_service_point(client, w):
    html = page(client, w["carol"], "monitoring:work_queue")
    assert "INK-2026-0042" in html and "UTR-001" not in html
    html = page(client, w["frank"], "monitoring:work_queue")
    assert "UTR-001" in html and "INK-2026-0042" not in html and "REN-001" not in html
