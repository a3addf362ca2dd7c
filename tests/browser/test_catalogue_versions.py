"""A new Utrecht catalogue version in Chromium: the administrator copies "Utrecht 2026", changes a
block and the 50-plus bonus in the draft, sees in the preview which contracts it will apply to,
publishes it from a date, and a contract handed over after that date gets it."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import CatalogueVersion, Region
from contracts.services import contract_hand_over
from monitoring import services
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_WIDGETS = {"exclude": [[".help-tooltip.search-label-icon"]]}
WW_LONG = "WW, uitkering langer dan 1 jaar"


@pytest.fixture
def superuser(db):
    return UserFactory(email="beheer@wizzr.example", name="Beheer WIZZR", is_staff=True, is_superuser=True)


def url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


def inline_field(page, name: str, field: str):
    """The ``field`` input of the inline row whose name input holds ``name`` (blocks or bonuses)."""
    name_input = page.locator(f'input[name$="-name"][value="{name}"]')
    prefix = name_input.get_attribute("name").removesuffix("-name")
    return page.locator(f'input[name="{prefix}-{field}"]')


def test_a_new_utrecht_version_is_drafted_previewed_with_its_contracts_and_applies_after_its_date(
    page, live_server, login, check_page, superuser, utrecht, other_service_point, dave
):
    ship_catalogues()
    Region.objects.get(slug="utrecht").service_points.add(other_service_point)
    current = CatalogueVersion.objects.get(catalogue__region__slug="utrecht", label="Utrecht 2026")
    handed_over = ContractFactory(organisation=utrecht, contract_number="UTR-2026-0001", title="Groenonderhoud",
                                  handed_over=True)
    assert services.follow_up_for(contract=handed_over).catalogue_version == current
    concept = ContractFactory(organisation=utrecht, contract_number="UTR-2026-0002", title="Herinrichting Croeselaan")
    login(page, superuser)

    page.goto(url(live_server, "admin:catalogue_catalogueversion_change", current.pk))
    page.get_by_role("button", name="Nieuwe versie op basis van deze").click()
    expect(page.get_by_text("Dit is een concept")).to_be_visible()
    draft = CatalogueVersion.objects.get(catalogue=current.catalogue, status="draft")

    page.get_by_label("Versie:", exact=True).fill("Utrecht 2027")
    inline_field(page, WW_LONG, "value").fill("22000")
    inline_field(page, "Bonus werkzoekende van 50 jaar of ouder", "value").fill("6000")
    page.get_by_role("button", name="Opslaan en opnieuw bewerken").click()
    expect(inline_field(page, WW_LONG, "value")).to_have_value(re.compile(r"^22000"))
    assert draft.blocks.get(name=WW_LONG).value == 22000
    assert draft.bonuses.get(kind="age").value == 6000

    page.get_by_role("link", name="Voorbeeld en publiceren").click()
    starts = timezone.localdate() + datetime.timedelta(days=2)
    page.get_by_label("Geldig vanaf").fill(starts.isoformat())
    page.get_by_role("button", name="Voorbeeld bijwerken").click()
    awaiting = page.locator("#preview-awaiting")
    expect(awaiting.locator("caption")).to_contain_text(
        re.compile(r"Concepten die deze versie krijgen als ze vanaf .* worden overgedragen: 1")
    )
    expect(awaiting.get_by_role("rowheader")).to_have_text(["UTR-2026-0002"])
    expect(awaiting).to_contain_text("Herinrichting Croeselaan")
    expect(awaiting).to_contain_text("Gemeente Utrecht")
    expect(page.get_by_text("1 inkoopcontract houdt de versie waarmee het is overgedragen.")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("UTR-2026-0001")  # handed over before: keeps its version
    expect(page.get_by_role("cell", name="+ € 6.000,00 per jaar")).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".messagelist").get_by_text("is gepubliceerd en geldt vanaf")).to_be_visible()
    draft.refresh_from_db()
    assert (draft.label, draft.status, draft.valid_from) == ("Utrecht 2027", "published", starts)

    # The concept, handed over after the new version's date, gets it; the other contract keeps its own.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3), tick=False):
        contract_hand_over(contract=concept, by=dave)
    pinned = services.follow_up_for(contract=concept).catalogue_version
    assert pinned == draft
    assert pinned.blocks.get(name=WW_LONG).value == 22000
    assert services.follow_up_for(contract=handed_over).catalogue_version == current
    assert current.blocks.get(name=WW_LONG).value == 20000
