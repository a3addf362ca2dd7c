"""The admin speaks the product's language: WIZZR's name, Dutch sections, widgets and confirmations,
and the WIZZR roles on a person's page instead of Django's raw permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(email="beheer@wizzr.example", name="Beheer WIZZR", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def staff(client):
    """A staff member who may look after people, not a superuser."""
    user = UserFactory(email="helpdesk@wizzr.example", name="Helpdesk", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="wizzr", content_type__model__in=["user", "membership"])
    )
    client.force_login(user)
    return user


def test_the_admin_index_carries_the_wizzr_name_and_dutch_sections(client, superuser):
    html = client.get(reverse("admin:index")).content.decode()
    assert "<title>Overzicht | WIZZR beheer</title>" in html
    assert "WIZZR beheer</a>" in html
    for section in ["Accounts en organisaties", "Inkoopcontracten", "Leveranciersregister", "Monitoring", "Kennisbank"]:
        assert f">{section}</a>" in html, section
    for clutter in ["Django", "MFA", "Authenticators", ">Accounts</a>", "E-mailadressen", "Email addresses"]:
        assert clutter not in html, clutter


def test_widgets_and_messages_are_dutch(client, superuser, arnhem):
    html = client.get(reverse("admin:wizzr_invitation_add")).content.decode()
    assert "- Kies een optie -" in html
    assert "Select an option" not in html


def test_the_delete_confirmation_is_dutch_without_a_wrong_article(client, superuser, arnhem):
    contract = ContractFactory(organisation=arnhem, contract_number="INK-1", title="Groenonderhoud")
    html = client.get(reverse("admin:contracts_contract_delete", args=[contract.pk])).content.decode()
    assert "Weet u zeker dat u inkoopcontract" in html
    assert "Are you sure" not in html

    response = client.post(reverse("admin:contracts_contract_delete", args=[contract.pk]), {"post": "yes"}, follow=True)
    html = response.content.decode()
    assert "Verwijderd: inkoopcontract" in html
    assert "De inkoopcontract" not in html


def test_a_staff_member_sees_roles_not_raw_permissions_on_a_persons_page(client, staff, alice):
    html = client.get(reverse("admin:wizzr_user_change", args=[alice.pk])).content.decode()
    assert 'name="user_permissions"' not in html
    assert 'name="groups"' not in html
    assert 'name="is_superuser"' not in html
    assert "Can add log entry" not in html
    assert 'name="memberships-0-role"' in html  # the WIZZR roles, per organisation


def test_a_staff_member_cannot_make_someone_superuser_by_posting_the_field(client, staff, alice):
    from tests.factories import mark_reauthenticated

    mark_reauthenticated(client, staff)
    membership = alice.memberships.get()
    data = {
        "email": alice.email, "name": alice.name, "phone": "", "job_title": "", "is_active": "on", "is_staff": "",
        "is_superuser": "on", "last_login_0": "", "last_login_1": "", "date_joined_0": "01-01-2026",
        "date_joined_1": "10:00:00",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk, "memberships-0-user": alice.pk,
        "memberships-0-organisation": membership.organisation_id, "memberships-0-role": membership.role,
    }
    client.post(reverse("admin:wizzr_user_change", args=[alice.pk]), data)
    alice.refresh_from_db()
    assert not alice.is_superuser


def test_a_superuser_still_finds_the_technical_rights(client, superuser, alice):
    html = client.get(reverse("admin:wizzr_user_change", args=[alice.pk])).content.decode()
    assert 'name="user_permissions"' in html
    assert "Rechten in het beheer" in html
    assert "Tweestapsverificatie:" in html and "niet ingesteld" in html


def test_a_lost_authenticator_is_reset_from_the_people_list_and_audited(client, superuser, alice):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from wizzr.models import AuditEvent

    TOTP.activate(alice, generate_totp_secret())
    assert "ingesteld op" in client.get(reverse("admin:wizzr_user_change", args=[alice.pk])).content.decode()

    response = client.post(reverse("admin:wizzr_user_changelist"),
                           {"action": "reset_two_step", "_selected_action": [alice.pk]}, follow=True)

    assert "stelt de tweestapsverificatie opnieuw in" in response.content.decode()
    assert not Authenticator.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(action="mfa_reset", actor=superuser, object_id=str(alice.uuid)).exists()
