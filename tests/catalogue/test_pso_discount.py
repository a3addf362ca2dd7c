"""The PSO discount on the obligation is data of a catalogue version: per level a percentage, frozen
with a published version, copied into a new draft, edited in the version's admin page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from catalogue.models import CatalogueVersion, PsoDiscount, pso_discount_for
from catalogue.versions import catalogue_version_copy
from tests.catalogue.factories import BlockFactory, VersionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def published():
    version = VersionFactory(label="V05 april 2023")
    BlockFactory(version=version)
    PsoDiscount.objects.create(version=version, level="step_2", percentage=Decimal("10"))
    return version


def test_the_discount_for_a_level_is_read_from_the_version(published):
    assert pso_discount_for(version=published, level="step_2") == Decimal("10.00")
    assert pso_discount_for(version=published, level="step_3") is None
    assert pso_discount_for(version=None, level="step_2") is None


def test_one_rule_per_level_and_version(published):
    with pytest.raises(IntegrityError):
        PsoDiscount.objects.create(version=published, level="step_2", percentage=Decimal("12"))


def test_the_percentage_is_between_0_and_100():
    version = VersionFactory(status=CatalogueVersion.Status.DRAFT, valid_from=None)
    rule = PsoDiscount(version=version, level="step_1", percentage=Decimal("100.01"))
    with pytest.raises(ValidationError) as raised:
        rule.full_clean()
    assert "percentage" in raised.value.message_dict


def test_a_published_version_keeps_its_pso_rule(published):
    added = PsoDiscount(version=published, level="step_3", percentage=Decimal("15"))
    with pytest.raises(ValidationError, match="Een gepubliceerde versie ligt vast"):
        added.full_clean()
    changed = published.pso_discounts.get()
    changed.percentage = Decimal("50")
    with pytest.raises(ValidationError, match="Een gepubliceerde versie ligt vast"):
        changed.full_clean()


def test_a_copy_of_a_version_carries_its_pso_rule(published, staff):
    draft = catalogue_version_copy(version=published, by=staff)
    assert list(draft.pso_discounts.values_list("level", "percentage")) == [("step_2", Decimal("10.00"))]
    rule = draft.pso_discounts.get()
    rule.percentage = Decimal("12.5")
    rule.full_clean()  # a draft can be changed
    rule.save()
    assert published.pso_discounts.get().percentage == Decimal("10.00")


def test_the_version_admin_shows_the_pso_rule_and_a_draft_edits_it(client, staff, published):
    page = client.get(reverse("admin:catalogue_catalogueversion_change", args=[published.pk])).content.decode()
    assert "PSO-kortingen" in page and "trede 2" in page
    draft = catalogue_version_copy(version=published, by=staff)
    page = client.get(reverse("admin:catalogue_catalogueversion_change", args=[draft.pk])).content.decode()
    assert 'name="pso_discounts-0-percentage"' in page


def test_the_publish_preview_shows_the_drafts_pso_rule(client, staff, published):
    draft = catalogue_version_copy(version=published, by=staff)
    page = client.get(reverse("admin:catalogue_catalogueversion_publish", args=[draft.pk])).content.decode()
    assert 'data-testid="pso-discounts"' in page
    assert "trede 2" in page and "10 %" in page
