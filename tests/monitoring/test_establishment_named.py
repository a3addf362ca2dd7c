"""Every page after the contract form names the supplier's establishment, not only the company: one KvK
number can have several establishments (Supplier.establishment_label)."""

import html as html_lib

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LABEL = "Bouwbedrijf Van den Heuvel B.V., Ede (vestiging 000012345679)"


@pytest.fixture
def in_ede(contract):
    supplier = contract.supplier
    supplier.legal_name, supplier.trade_name, supplier.city = "Bouwbedrijf Van den Heuvel B.V.", "Van den Heuvel Bouw", "Ede"
    supplier.branch_number, supplier.is_main_branch = "000012345679", False
    supplier.save()
    assert supplier.establishment_label == LABEL
    return contract


def shows_label(response) -> bool:
    assert response.status_code == 200
    return html_lib.escape(LABEL) in response.content.decode()


def test_the_coordinators_work_queue_and_workspace_name_the_establishment(client, carol, in_ede):
    client.force_login(carol)
    assert shows_label(client.get(reverse("monitoring:work_queue")))
    assert shows_label(client.get(reverse("monitoring:workspace", args=[in_ede.uuid])))


def test_the_buyers_contract_page_names_the_establishment(client, alice, in_ede):
    client.force_login(alice)
    assert shows_label(client.get(reverse("monitoring:contract", args=[in_ede.uuid])))


def test_the_buyers_list_names_place_and_establishment(client, alice, in_ede):
    client.force_login(alice)
    response = client.get(reverse("monitoring:individual"))
    assert response.status_code == 200
    assert "Ede · vestiging 000012345679" in response.content.decode()
