"""Catalogue versions as a workflow: a new version starts as a draft copied from the current one, is
edited and previewed, and is frozen once it is published; contracts keep the version they pinned."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from catalogue.models import BuildingBlock, CatalogueVersion
from catalogue.versions import (
    CatalogueError,
    catalogue_version_copy,
    catalogue_version_preview,
    catalogue_version_publish,
)
from monitoring.models import ContractFollowUp
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from wizzr.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def utrecht_v1(other_service_point):
    """Utrecht's version in force today (shipped with 12 blocks and 2 bonuses)."""
    from catalogue.models import Region

    Region.objects.get(slug="utrecht").service_points.add(other_service_point)
    return CatalogueVersion.objects.get(catalogue__region__slug="utrecht", label="Utrecht 2026")


@pytest.fixture
def draft(utrecht_v1, staff):
    return catalogue_version_copy(version=utrecht_v1, by=staff)


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


# The services --------------------------------------------------------------------------------------


def test_a_copy_is_a_draft_with_every_block_and_bonus_of_its_source(utrecht_v1, staff):
    draft = catalogue_version_copy(version=utrecht_v1, by=staff)

    assert draft.status == CatalogueVersion.Status.DRAFT
    assert draft.valid_from is None
    assert draft.catalogue == utrecht_v1.catalogue
    assert draft.label == f"{utrecht_v1.label} (concept)"
    source_blocks = list(utrecht_v1.blocks.values_list("name", "category", "unit", "value", "counting_months", "position"))
    assert list(draft.blocks.values_list("name", "category", "unit", "value", "counting_months", "position")) == source_blocks
    assert list(draft.bonuses.values_list("name", "kind", "value", "min_age")) == list(
        utrecht_v1.bonuses.values_list("name", "kind", "value", "min_age")
    )
    assert utrecht_v1.blocks.count() == 12  # the source is untouched
    event = AuditEvent.objects.get(action="catalogue_version_copied")
    assert event.actor == staff and event.object_id == str(draft.uuid)


def test_a_second_copy_gets_a_label_of_its_own(utrecht_v1, staff):
    catalogue_version_copy(version=utrecht_v1, by=staff)
    second = catalogue_version_copy(version=utrecht_v1, by=staff)
    assert second.label == f"{utrecht_v1.label} (concept 2)"


def test_a_draft_is_never_in_force(draft, utrecht_v1, other_service_point):
    # Even with a date in the past, as a hand-made row could have.
    CatalogueVersion.objects.filter(pk=draft.pk).update(valid_from=datetime.date(2025, 1, 1))
    in_force = CatalogueVersion.objects.in_force_for(service_point=other_service_point, on=timezone.localdate())
    assert in_force == utrecht_v1


def test_publishing_sets_the_date_freezes_the_version_and_is_audited(draft, staff, other_service_point):
    published = catalogue_version_publish(version=draft, valid_from=tomorrow(), by=staff)

    draft.refresh_from_db()
    assert (draft.status, draft.valid_from) == (CatalogueVersion.Status.PUBLISHED, tomorrow())
    assert published == draft
    assert CatalogueVersion.objects.in_force_for(service_point=other_service_point, on=tomorrow()) == draft
    event = AuditEvent.objects.get(action="catalogue_version_published")
    assert event.detail == {"valid_from": tomorrow().isoformat()} and event.actor == staff


def test_publishing_refuses_a_date_in_the_past(draft, staff):
    with pytest.raises(CatalogueError, match="verleden"):
        catalogue_version_publish(version=draft, valid_from=timezone.localdate() - datetime.timedelta(days=1), by=staff)
    draft.refresh_from_db()
    assert draft.status == CatalogueVersion.Status.DRAFT


def test_publishing_twice_is_refused(draft, staff):
    catalogue_version_publish(version=draft, valid_from=tomorrow(), by=staff)
    with pytest.raises(CatalogueError, match="al gepubliceerd"):
        catalogue_version_publish(version=draft, valid_from=tomorrow() + datetime.timedelta(days=1), by=staff)


def test_two_versions_cannot_start_on_the_same_day(draft, utrecht_v1, staff):
    catalogue_version_publish(version=draft, valid_from=tomorrow(), by=staff)
    other = catalogue_version_copy(version=utrecht_v1, by=staff)
    with pytest.raises(CatalogueError, match="Kies een andere datum"):
        catalogue_version_publish(version=other, valid_from=tomorrow(), by=staff)


def test_a_version_without_blocks_cannot_be_published(draft, staff):
    draft.bonuses.all().delete()
    draft.blocks.all().delete()
    with pytest.raises(CatalogueError, match="zonder bouwblokken"):
        catalogue_version_publish(version=draft, valid_from=tomorrow(), by=staff)


def test_model_validation_refuses_changes_to_a_published_version_and_its_blocks(utrecht_v1):
    utrecht_v1.label = "V2"
    with pytest.raises(ValidationError):
        utrecht_v1.full_clean()
    block = utrecht_v1.blocks.first()
    block.value = Decimal("1.00")
    with pytest.raises(ValidationError):
        block.full_clean()
    with pytest.raises(ValidationError):
        BuildingBlock(version=utrecht_v1, name="Nieuw", category="employment", unit="per_month", value=1).full_clean()
    bonus = utrecht_v1.bonuses.first()
    bonus.value = Decimal("1.00")
    with pytest.raises(ValidationError):
        bonus.full_clean()


def test_model_validation_lets_a_draft_and_its_blocks_change(draft):
    draft.label = "V2 juli"
    draft.full_clean()
    block = draft.blocks.first()
    block.value = Decimal("1.00")
    block.full_clean()


def test_the_preview_counts_contracts_that_keep_their_version_and_those_that_get_the_new_one(
    draft, utrecht_v1, utrecht, staff
):
    ContractFactory(organisation=utrecht, handed_over=True)  # pinned to V1 at handover
    assert ContractFollowUp.objects.filter(catalogue_version=utrecht_v1).count() == 1
    # Handed over today while the region had no version yet: pinned as soon as one applies.
    waiting = ContractFactory(organisation=utrecht, handed_over=True)
    ContractFollowUp.objects.filter(contract=waiting).update(catalogue_version=None)

    preview = catalogue_version_preview(version=draft, valid_from=timezone.localdate())

    assert preview.contracts_changed == 0
    assert preview.contracts_keeping_their_version == 1
    assert preview.contracts_getting_it == 1
    assert catalogue_version_preview(version=draft, valid_from=tomorrow()).contracts_getting_it == 0


# The admin -----------------------------------------------------------------------------------------


def test_the_copy_button_makes_a_draft_and_opens_it(client, staff, utrecht_v1):
    response = client.post(reverse("admin:catalogue_catalogueversion_copy", args=[utrecht_v1.pk]))

    draft = CatalogueVersion.objects.get(status="draft")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalogue_catalogueversion_change", args=[draft.pk])
    assert draft.blocks.count() == 12 and draft.bonuses.count() == 2
    html = client.get(response["Location"]).content.decode()
    assert "Dit is een concept" in html
    assert 'name="blocks-0-value"' in html  # blocks of a draft are edited inline
    assert 'name="_saveasnew"' not in html


def test_the_copy_action_in_the_list_copies_the_chosen_version(client, staff, utrecht_v1):
    response = client.post(
        reverse("admin:catalogue_catalogueversion_changelist"),
        {"action": "copy_versions", "_selected_action": [utrecht_v1.pk]},
    )
    assert response.status_code == 302
    assert CatalogueVersion.objects.get(status="draft").blocks.count() == 12


def test_a_published_version_is_read_only_in_the_admin(client, staff, utrecht_v1):
    url = reverse("admin:catalogue_catalogueversion_change", args=[utrecht_v1.pk])
    html = client.get(url).content.decode()
    assert "Deze versie is gepubliceerd" in html
    assert 'name="blocks-0-value"' not in html
    assert 'name="_save"' not in html
    assert "Nieuwe versie op basis van deze" in html

    response = client.post(url, {"catalogue": utrecht_v1.catalogue_id, "label": "Gewijzigd", "notes": ""})
    assert response.status_code == 403
    utrecht_v1.refresh_from_db()
    assert utrecht_v1.label != "Gewijzigd"
    block = utrecht_v1.blocks.first()
    assert client.post(reverse("admin:catalogue_buildingblock_change", args=[block.pk]), {}).status_code == 403


def test_a_draft_is_edited_with_its_blocks(client, staff, draft):
    blocks = list(draft.blocks.order_by("position", "name"))
    bonuses = list(draft.bonuses.order_by("position", "name"))
    data = {"label": "V2 2027", "notes": "Nieuwe waarden",
            "blocks-TOTAL_FORMS": str(len(blocks)), "blocks-INITIAL_FORMS": str(len(blocks)),
            "bonuses-TOTAL_FORMS": str(len(bonuses)), "bonuses-INITIAL_FORMS": str(len(bonuses)),
            "pso_discounts-TOTAL_FORMS": "0", "pso_discounts-INITIAL_FORMS": "0"}
    for i, b in enumerate(blocks):
        data.update({f"blocks-{i}-id": b.pk, f"blocks-{i}-version": draft.pk, f"blocks-{i}-position": b.position,
                     f"blocks-{i}-name": b.name, f"blocks-{i}-category": b.category, f"blocks-{i}-unit": b.unit,
                     f"blocks-{i}-value": "99.00" if i == 0 else b.value,
                     f"blocks-{i}-counting_months": b.counting_months or "", f"blocks-{i}-description": b.description})
    for i, b in enumerate(bonuses):
        data.update({f"bonuses-{i}-id": b.pk, f"bonuses-{i}-version": draft.pk, f"bonuses-{i}-position": b.position,
                     f"bonuses-{i}-name": b.name, f"bonuses-{i}-kind": b.kind, f"bonuses-{i}-value": b.value,
                     f"bonuses-{i}-min_age": b.min_age or ""})

    response = client.post(reverse("admin:catalogue_catalogueversion_change", args=[draft.pk]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.label == "V2 2027" and draft.status == "draft"
    assert draft.blocks.get(pk=blocks[0].pk).value == Decimal("99.00")


def test_the_publish_page_previews_and_publishes(client, staff, draft, utrecht):
    ContractFactory(organisation=utrecht, handed_over=True)
    url = reverse("admin:catalogue_catalogueversion_publish", args=[draft.pk])

    html = client.get(url).content.decode()
    assert "Geldt voor nieuwe contracten vanaf" in html
    assert "0 bestaande contracten veranderen" in html
    assert "1 inkoopcontract houdt de versie waarmee het is overgedragen" in html

    html = client.post(url, {"valid_from": tomorrow().isoformat(), "_preview": ""}).content.decode()
    assert "Geldt voor nieuwe contracten vanaf" in html
    draft.refresh_from_db()
    assert draft.status == "draft"

    past = client.post(url, {"valid_from": "2020-01-01", "_publish": ""})
    assert "verleden" in past.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"

    response = client.post(url, {"valid_from": tomorrow().isoformat(), "_publish": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.valid_from) == ("published", tomorrow())


def test_each_version_shows_how_many_contracts_use_it_with_a_link(client, staff, utrecht_v1, utrecht):
    ContractFactory(organisation=utrecht, handed_over=True)
    link = reverse("admin:monitoring_contractfollowup_changelist") + f"?catalogue_version__id__exact={utrecht_v1.pk}"

    listing = client.get(reverse("admin:catalogue_catalogueversion_changelist")).content.decode()
    page = client.get(reverse("admin:catalogue_catalogueversion_change", args=[utrecht_v1.pk])).content.decode()

    for html in (listing, page):
        assert f'<a href="{link.replace("&", "&amp;")}">1 inkoopcontract</a>' in html
    assert client.get(link).status_code == 200


def test_a_version_added_in_the_admin_starts_as_a_draft(client, staff, utrecht_v1):
    response = client.post(reverse("admin:catalogue_catalogueversion_add"), {
        "catalogue": utrecht_v1.catalogue_id, "label": "V9", "notes": "",
        "blocks-TOTAL_FORMS": "0", "blocks-INITIAL_FORMS": "0", "bonuses-TOTAL_FORMS": "0", "bonuses-INITIAL_FORMS": "0",
        "pso_discounts-TOTAL_FORMS": "0", "pso_discounts-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    assert CatalogueVersion.objects.get(label="V9").status == "draft"
