"""An administrator drafts a new Utrecht version from the current one, changes a block and a bonus,
sees by name which contracts publishing it concerns, publishes it from a date, and only contracts
handed over from then on get it."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CatalogueVersion, Region
from catalogue.versions import catalogue_version_copy, catalogue_version_preview
from contracts.models import Contract
from contracts.services import contract_hand_over
from monitoring import services
from monitoring.models import ContractFollowUp
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def staff(client):
    user = UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def current(other_service_point):
    ship_catalogues()
    Region.objects.get(slug="utrecht").service_points.add(other_service_point)
    return CatalogueVersion.objects.get(catalogue__region__slug="utrecht", label="Utrecht 2026")


@pytest.fixture
def contracts(utrecht, dave, arnhem, current):
    """Utrecht: one handed over last month (pinned), one today (pinned), one handed over without a
    version, a concept; and a concept of Arnhem (another region)."""
    last_month = ContractFactory(organisation=utrecht, contract_number="UTR-OUD", title="Groenonderhoud",
                                 handed_over=True, handed_over_at=timezone.now() - datetime.timedelta(days=30))
    today_ = ContractFactory(organisation=utrecht, contract_number="UTR-VANDAAG", title="Schoonmaak", handed_over=True)
    unpinned = ContractFactory(organisation=utrecht, contract_number="UTR-ZONDER", title="Catering", handed_over=True)
    ContractFollowUp.objects.filter(contract=unpinned).update(catalogue_version=None)
    concept = ContractFactory(organisation=utrecht, contract_number="UTR-CONCEPT", title="Herinrichting Croeselaan")
    ContractFactory(organisation=arnhem, contract_number="ARN-CONCEPT", title="Bruggen")
    assert services.follow_up_for(contract=last_month).catalogue_version == current
    return {"last_month": last_month, "today": today_, "unpinned": unpinned, "concept": concept}


def numbers(contract_list) -> list[str]:
    return [row.number for row in contract_list.rows]


def test_the_preview_names_the_contracts_publishing_concerns(current, contracts, staff):
    draft = catalogue_version_copy(version=current, by=staff)

    from_today = catalogue_version_preview(version=draft, valid_from=today())
    assert (from_today.getting.count, numbers(from_today.getting)) == (1, ["UTR-ZONDER"])
    assert (from_today.awaiting.count, numbers(from_today.awaiting)) == (1, ["UTR-CONCEPT"])
    # Handed over earlier today, it keeps Utrecht 2026.
    assert numbers(from_today.keeping_since) == ["UTR-VANDAAG"]
    assert from_today.keeping_since.rows[0].version_label == "Utrecht 2026"
    assert from_today.contracts_keeping_their_version == 2

    from_tomorrow = catalogue_version_preview(version=draft, valid_from=today() + datetime.timedelta(days=1))
    assert from_tomorrow.getting.count == 0 and from_tomorrow.keeping_since.count == 0
    assert numbers(from_tomorrow.awaiting) == ["UTR-CONCEPT"]
    concept = from_tomorrow.awaiting.rows[0]
    assert (concept.title, concept.organisation, concept.handed_over_on) == (
        "Herinrichting Croeselaan", "Gemeente Utrecht", None,
    )
    assert concept.url == reverse("admin:contracts_contract_change", args=[contracts["concept"].pk])


def test_the_publish_page_lists_the_contracts_by_number_and_title(client, current, contracts, staff):
    draft = catalogue_version_copy(version=current, by=staff)
    url = reverse("admin:catalogue_catalogueversion_publish", args=[draft.pk])

    html = client.get(url).content.decode()

    getting = html.split('id="preview-getting"', 1)[1].split("</table>", 1)[0]
    assert "Overgedragen inkoopcontracten die deze versie krijgen: 1" in getting
    assert "UTR-ZONDER" in getting and "Catering" in getting
    awaiting = html.split('id="preview-awaiting"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"Concepten die deze versie krijgen als ze vanaf .* worden overgedragen: 1", awaiting)
    assert "UTR-CONCEPT" in awaiting and "Herinrichting Croeselaan" in awaiting and "nog niet" in awaiting
    keeping = html.split('id="preview-keeping"', 1)[1].split("</table>", 1)[0]
    assert "UTR-VANDAAG" in keeping and "Utrecht 2026" in keeping
    assert "UTR-OUD" not in html and "ARN-CONCEPT" not in html
    # The bonuses in words.
    assert "+ € 5.000,00 per jaar" in html and "+ € 10.000,00 per jaar" in html

    tomorrow = today() + datetime.timedelta(days=1)
    html = client.post(url, {"valid_from": tomorrow.isoformat(), "_preview": ""}).content.decode()
    assert 'id="preview-getting"' not in html and 'id="preview-keeping"' not in html
    assert "UTR-CONCEPT" in html


def test_a_drafted_changed_and_published_version_applies_to_contracts_handed_over_from_its_date(
    client, current, contracts, staff, dave, utrecht
):
    client.post(reverse("admin:catalogue_catalogueversion_copy", args=[current.pk]))
    draft = CatalogueVersion.objects.get(catalogue=current.catalogue, status="draft")
    blocks = list(draft.blocks.order_by("position", "name"))
    bonuses = list(draft.bonuses.order_by("position", "name"))
    data = {"label": "Utrecht 2027", "notes": draft.notes,
            "blocks-TOTAL_FORMS": str(len(blocks)), "blocks-INITIAL_FORMS": str(len(blocks)),
            "bonuses-TOTAL_FORMS": str(len(bonuses)), "bonuses-INITIAL_FORMS": str(len(bonuses)),
            "pso_discounts-TOTAL_FORMS": "0", "pso_discounts-INITIAL_FORMS": "0"}
    for i, b in enumerate(blocks):
        value = "22000.00" if b.name == "WW, uitkering langer dan 1 jaar" else b.value
        data.update({f"blocks-{i}-id": b.pk, f"blocks-{i}-version": draft.pk, f"blocks-{i}-position": b.position,
                     f"blocks-{i}-name": b.name, f"blocks-{i}-category": b.category, f"blocks-{i}-unit": b.unit,
                     f"blocks-{i}-value": value, f"blocks-{i}-counting_months": b.counting_months or "",
                     f"blocks-{i}-description": b.description})
    for i, b in enumerate(bonuses):
        value = "6000.00" if b.kind == "age" else b.value
        data.update({f"bonuses-{i}-id": b.pk, f"bonuses-{i}-version": draft.pk, f"bonuses-{i}-position": b.position,
                     f"bonuses-{i}-name": b.name, f"bonuses-{i}-kind": b.kind, f"bonuses-{i}-value": value,
                     f"bonuses-{i}-min_age": b.min_age or ""})
    response = client.post(reverse("admin:catalogue_catalogueversion_change", args=[draft.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    starts = today() + datetime.timedelta(days=3)
    response = client.post(
        reverse("admin:catalogue_catalogueversion_publish", args=[draft.pk]),
        {"valid_from": starts.isoformat(), "_publish": ""},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.label, draft.status, draft.valid_from) == ("Utrecht 2027", "published", starts)

    # The day before it starts, a contract still gets Utrecht 2026; from its date on, the new version.
    before = ContractFactory(organisation=utrecht, contract_number="UTR-VOOR")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        contract_hand_over(contract=before, by=dave)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4), tick=False):
        contract_hand_over(contract=contracts["concept"], by=dave)
    assert services.follow_up_for(contract=before).catalogue_version == current
    pinned = services.follow_up_for(contract=contracts["concept"]).catalogue_version
    assert pinned == draft
    assert pinned.blocks.get(name="WW, uitkering langer dan 1 jaar").value == Decimal("22000.00")
    assert pinned.bonuses.get(kind="age").value == Decimal("6000.00")
    # The contracts handed over before keep theirs, with their values.
    for key in ("last_month", "today"):
        assert services.follow_up_for(contract=contracts[key]).catalogue_version == current
    assert current.blocks.get(name="WW, uitkering langer dan 1 jaar").value == Decimal("20000.00")
    assert Contract.objects.get(pk=contracts["concept"].pk).status == Contract.Status.HANDED_OVER


def draft_form_data(draft, *, block_changes=None, bonus_changes=None, extra_bonus=None) -> dict:
    """The change form of ``draft`` as the browser sends it, with some fields changed."""
    blocks = list(draft.blocks.order_by("position", "name"))
    bonuses = list(draft.bonuses.order_by("position", "name"))
    data = {"label": draft.label, "notes": draft.notes,
            "blocks-TOTAL_FORMS": str(len(blocks)), "blocks-INITIAL_FORMS": str(len(blocks)),
            "bonuses-TOTAL_FORMS": str(len(bonuses) + (1 if extra_bonus else 0)),
            "bonuses-INITIAL_FORMS": str(len(bonuses)),
            "pso_discounts-TOTAL_FORMS": "0", "pso_discounts-INITIAL_FORMS": "0"}
    for i, b in enumerate(blocks):
        row = {"id": b.pk, "version": draft.pk, "position": b.position, "name": b.name, "category": b.category,
               "unit": b.unit, "value": b.value, "counting_months": b.counting_months or "",
               "description": b.description}
        row.update((block_changes or {}).get(b.name, {}))
        data.update({f"blocks-{i}-{key}": value for key, value in row.items()})
    for i, b in enumerate(bonuses):
        row = {"id": b.pk, "version": draft.pk, "position": b.position, "name": b.name, "kind": b.kind,
               "value": b.value, "min_age": b.min_age or ""}
        row.update((bonus_changes or {}).get(b.name, {}))
        data.update({f"bonuses-{i}-{key}": value for key, value in row.items()})
    if extra_bonus:
        data.update({f"bonuses-{len(bonuses)}-{key}": value for key, value in extra_bonus.items()})
    return data


def test_bad_values_in_a_draft_get_a_dutch_message_by_the_field_and_nothing_is_stored(client, current, staff):
    draft = catalogue_version_copy(version=current, by=staff)
    url = reverse("admin:catalogue_catalogueversion_change", args=[draft.pk])
    data = draft_form_data(
        draft,
        block_changes={
            "Afname bij een sociale onderneming": {"value": "150"},
            "Maatschappelijke activiteit: hulp of kennis voor een lokaal initiatief": {"counting_months": "12"},
            "WIA/WAO": {"value": "31000"},
        },
        bonus_changes={"Bonus vast dienstverband": {"min_age": "50"}},
        extra_bonus={"version": draft.pk, "position": "30", "name": "Bonus 55+", "kind": "age", "value": "2000",
                     "min_age": ""},
    )

    response = client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Een percentage van het factuurbedrag is ten hoogste 100." in html
    assert "Een telduur hoort alleen bij een bouwblok ‘per jaar’." in html
    assert "Vul de leeftijd in vanaf wanneer deze bonus geldt." in html
    assert "Een leeftijd hoort alleen bij een leeftijdsbonus." in html
    assert "is violated" not in html and "Constraint" not in html
    assert draft.blocks.get(name="WIA/WAO").value == Decimal("30000.00")  # nothing stored half
    assert not draft.bonuses.filter(name="Bonus 55+").exists()


def test_staff_without_the_right_to_view_contracts_see_only_the_counts(client, current, contracts):
    from django.contrib.auth.models import Permission

    user = UserFactory(email="catalogus@wizzr.example", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="catalogue"))
    client.force_login(user)
    draft = catalogue_version_copy(version=current, by=user)

    html = client.get(reverse("admin:catalogue_catalogueversion_publish", args=[draft.pk])).content.decode()

    assert "1 overgedragen inkoopcontract van de servicepunten van regio Utrecht krijgt deze versie" in html
    assert "UTR-ZONDER" not in html and "UTR-CONCEPT" not in html and 'id="preview-awaiting"' not in html
    assert "De inkoopcontracten zelf ziet u met het recht om inkoopcontracten te bekijken." in html
    user.user_permissions.add(Permission.objects.get(codename="view_contract", content_type__app_label="contracts"))
    html = client.get(reverse("admin:catalogue_catalogueversion_publish", args=[draft.pk])).content.decode()
    assert "UTR-CONCEPT" in html
