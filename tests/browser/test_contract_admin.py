"""A contract's organisation in Django admin, in Chromium: read-only on the change form, changed on
its own page, where a supplier organisation is refused in Dutch and a contracting authority accepted."""

import pytest
from playwright.sync_api import expect

from contracts.models import Contract
from tests.contracts.factories import ContractFactory
from tests.factories import AuthorityFactory, UserFactory
from wizzr.models import AuditEvent, Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's change form and inlines name their fieldsets by a heading instead of a legend (not ours to change).
DJANGO_CHANGE_FORM = [[".help-tooltip.search-label-icon"], ["fieldset.module"]]


def test_staff_move_a_contract_only_to_a_contracting_authority(page, live_server, login, check_page, password, arnhem,
                                                                 renkum):
    staff = UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True)
    AuthorityFactory(name="Bouwbedrijf Van den Heuvel B.V.", slug="van-den-heuvel", kind=Organisation.Kind.SUPPLIER,
                     served_by=None)
    contract = ContractFactory(organisation=renkum, contract_number="REN-2026-0007", title="Kademuur herstel",
                               handed_over=True)
    login(page, staff)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/admin/contracts/contract/{contract.pk}/change/")
    expect(page.locator('select[name="status"], select[name="organisation"]')).to_have_count(0)
    expect(page.get_by_role("link", name="Naar de werkruimte van de Regisseur Social Return")).to_be_visible()
    check_page(page, {"exclude": DJANGO_CHANGE_FORM})

    page.get_by_role("link", name="Organisatie wijzigen").click()
    expect(page.get_by_role("heading", name="Organisatie wijzigen")).to_be_visible()
    check_page(page, {"exclude": DJANGO_CHANGE_FORM})
    page.get_by_label("Nieuwe organisatie").select_option(label="Bouwbedrijf Van den Heuvel B.V. (opdrachtnemer)")
    page.get_by_label("Reden").fill("Verkeerd ingevoerd")
    page.get_by_role("button", name="Organisatie wijzigen").click()
    # The password again first; the move then resumes with what was entered.
    expect(page.get_by_role("heading", name="Bevestig dat u het bent")).to_be_visible()
    assert Contract.objects.get(pk=contract.pk).organisation == renkum
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator(".errorlist")).to_have_text(
        "Een inkoopcontract hoort bij een opdrachtgever; Bouwbedrijf Van den Heuvel B.V. is een opdrachtnemer."
    )
    expect(page.get_by_label("Reden")).to_have_value("Verkeerd ingevoerd")
    check_page(page, {"exclude": DJANGO_CHANGE_FORM})
    assert Contract.objects.get(pk=contract.pk).organisation == renkum

    page.get_by_label("Nieuwe organisatie").select_option(label="Gemeente Arnhem (opdrachtgever)")
    page.get_by_role("button", name="Organisatie wijzigen").click()
    expect(page.locator(".messagelist")).to_contain_text("hoort nu bij Gemeente Arnhem")
    check_page(page, {"exclude": DJANGO_CHANGE_FORM})
    contract.refresh_from_db()
    assert (contract.organisation, contract.status) == (arnhem, Contract.Status.HANDED_OVER)
    event = AuditEvent.objects.get(action="contract_organisation_changed", organisation=arnhem)
    assert event.detail["reason"] == "Verkeerd ingevoerd" and event.detail["old"]["name"] == "Gemeente Renkum"
