"""Administrators keep catalogues up to date; versions that contracts use keep their values."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_staff_add_a_version_with_blocks_in_admin(client, staff, v05):
    from catalogue.models import CatalogueVersion

    url = reverse("admin:catalogue_catalogueversion_add")
    data = {
        "catalogue": v05.catalogue.pk, "label": "V06 januari 2027", "valid_from": "2027-01-01", "notes": "",
        "blocks-TOTAL_FORMS": "1", "blocks-INITIAL_FORMS": "0",
        "blocks-0-position": "10", "blocks-0-name": "WW", "blocks-0-category": "employment",
        "blocks-0-unit": "per_year", "blocks-0-value": "12000", "blocks-0-counting_months": "12",
        "blocks-0-description": "",
        "bonuses-TOTAL_FORMS": "0", "bonuses-INITIAL_FORMS": "0",
        "pso_discounts-TOTAL_FORMS": "0", "pso_discounts-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = CatalogueVersion.objects.get(label="V06 januari 2027")
    assert version.blocks.get().value == 12000


def test_a_pinned_version_shows_its_values_read_only(client, staff, contract, v05, per_year_block):
    html = client.get(reverse("admin:catalogue_catalogueversion_change", args=[v05.pk])).content.decode()
    assert 'name="blocks-0-value"' not in html
    html = client.get(reverse("admin:catalogue_buildingblock_change", args=[per_year_block.pk])).content.decode()
    assert 'name="value"' not in html


def test_the_follow_up_admin_pages_open(client, staff, contract):
    for name in [
        "monitoring_contractfollowup", "monitoring_realisation", "monitoring_reminder",
        "catalogue_region", "catalogue_catalogue", "catalogue_buildingblock", "catalogue_catalogueversion",
    ]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
