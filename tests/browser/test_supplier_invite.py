"""Inviting a supplier contact who already has an account: the coordinator sees the account's name before sending."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal import services
from portal.models import SupplierAccess
from tests.contracts.factories import ContractFactory
from tests.factories import member
from wizzr.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_known_address_shows_the_accounts_name_and_the_invitation_uses_it(
    page, live_server, login, check_page, carol, arnhem
):
    contract = ContractFactory(organisation=arnhem, handed_over=True, supplier_contact_name="", supplier_contact_email="")
    company = services.supplier_organisation_for(contract=contract)
    uma = member("uma@testmans.example", company, Role.SUPPLIER, name="Uma Bouwer")

    login(page, carol)
    page.goto(f"{live_server.url}{reverse('portal:invite', args=[contract.uuid])}")
    page.get_by_label("Naam").fill("U. de Bouwer")
    page.get_by_label("E-mailadres").fill("uma@testmans.example")
    hint = page.get_by_role("status")
    expect(hint).to_contain_text("Dit e-mailadres hoort bij een bestaand account: Uma Bouwer. De uitnodiging gaat op die naam.")
    check_page(page)

    page.get_by_label("E-mailadres").fill("iemand@elders.example")
    expect(hint).to_have_text("")

    page.get_by_label("E-mailadres").fill("uma@testmans.example")
    expect(hint).to_contain_text("Uma Bouwer")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("uma@testmans.example hoort bij het bestaande account van Uma Bouwer.")).to_be_visible()
    assert SupplierAccess.objects.get(contract=contract, user=uma).name == "Uma Bouwer"
    check_page(page)
