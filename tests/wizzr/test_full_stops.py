"""A name that ends in a full stop ("… B.V.") ends a sentence on a page with one full stop, not two."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_members_page_ends_the_sentence_after_an_organisation_name_once(client, erin, arnhem):
    arnhem.name = "Werkbedrijf Arnhem B.V."
    arnhem.save()
    client.force_login(erin)
    html = client.get(reverse("members")).content.decode()
    assert "Werkbedrijf Arnhem B.V." in html
    assert "B.V.." not in html
