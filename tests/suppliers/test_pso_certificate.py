"""PSO certificates in the registry: validity, which ones count on a day, and the admin to look them up."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from suppliers.models import PsoCertificate
from tests.factories import UserFactory
from tests.suppliers.factories import PsoCertificateFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_valid_until_must_be_after_valid_from_with_a_dutch_message_by_the_field():
    certificate = PsoCertificateFactory.build(valid_from=D(2026, 6, 1), valid_until=D(2026, 6, 1))
    with pytest.raises(ValidationError) as raised:
        certificate.full_clean()
    assert raised.value.message_dict["valid_until"] == ["De einddatum van de geldigheid moet na de begindatum liggen."]


def test_the_database_refuses_a_certificate_that_ends_before_it_starts():
    with pytest.raises(IntegrityError):
        PsoCertificateFactory(valid_from=D(2026, 6, 1), valid_until=D(2026, 5, 31))


def test_only_checked_certificates_covering_the_day_count():
    kvk = "12345678"
    covering = PsoCertificateFactory(kvk_number=kvk, valid_from=D(2026, 1, 1), valid_until=D(2026, 12, 31))
    PsoCertificateFactory(kvk_number=kvk, valid_from=D(2026, 1, 1), valid_until=D(2026, 12, 31), checked_at=None)
    PsoCertificateFactory(kvk_number=kvk, valid_from=D(2027, 1, 1), valid_until=D(2027, 12, 31))
    PsoCertificateFactory(kvk_number="87654321", valid_from=D(2026, 1, 1), valid_until=D(2026, 12, 31))

    assert list(PsoCertificate.objects.of_company(kvk).valid_on(D(2026, 12, 31))) == [covering]
    assert list(PsoCertificate.objects.of_company(kvk).valid_on(D(2025, 12, 31))) == []


def test_administrators_find_certificates_by_kvk_number_and_cannot_add_them_in_the_admin(client):
    admin_user = UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    PsoCertificateFactory(kvk_number="12345678", level=PsoCertificate.Level.STEP_3)
    PsoCertificateFactory(kvk_number="87654321", level=PsoCertificate.Level.PSO_30)

    response = client.get(reverse("admin:suppliers_psocertificate_changelist"), {"q": "12345678"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "12345678" in content and "trede 3" in content
    assert "87654321" not in content
    assert client.get(reverse("admin:suppliers_psocertificate_add")).status_code == 403
