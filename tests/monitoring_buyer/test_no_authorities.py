"""A coordinator of a service point that serves no authority yet (a new region) sees empty monitoring
pages, not an error."""

import pytest
from django.urls import reverse

from tests.factories import member
from wizzr.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["monitoring:individual", "monitoring:consolidated", "monitoring:work_queue"])
def test_a_coordinator_of_a_region_without_authorities_sees_an_empty_page(client, other_service_point, name):
    coordinator = member("nieuw@servicepunt.example", other_service_point, Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.get(reverse(name))
    assert response.status_code == 200
