"""The coordinator invites the supplier's SROI contact per contract; the invitee sets a password."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import SupplierAccess
from wizzr.models import Invitation, Membership, Organisation, OutboxMessage, Role, User

pytestmark = pytest.mark.django_db


def test_the_buyers_sroi_contact_is_proposed(client, carol, running):
    client.force_login(carol)
    page = client.get(reverse("portal:invite", args=[running.uuid])).content.decode()
    assert 'value="Sanne de Bouwer"' in page and 'value="sanne@testmans.example"' in page


def test_the_workspace_links_to_the_invitation(client, carol, running):
    client.force_login(carol)
    page = client.get(reverse("monitoring:workspace", args=[running.uuid])).content.decode()
    assert reverse("portal:invite", args=[running.uuid]) in page


def test_an_invitation_creates_the_company_and_a_dutch_email_with_an_expiring_link(
    client, carol, running, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:invite", args=[running.uuid]), {"name": "Sanne de Bouwer", "email": "Sanne@Testmans.example"}
        )
    assert response.status_code == 302
    company = Organisation.objects.get(kind=Organisation.Kind.SUPPLIER)
    assert company.kvk_number == running.supplier.kvk_number
    access = SupplierAccess.objects.get()
    assert access.is_pending and access.email == "sanne@testmans.example" and access.organisation == company
    invitation = Invitation.objects.get()
    assert invitation.role == Role.SUPPLIER and invitation.organisation == company and invitation.expires_at
    message = mail.outbox[-1]
    assert message.to == ["sanne@testmans.example"]
    assert "Uitnodiging voor WIZZR" in message.subject
    assert "verantwoorden" in message.body
    html = message.alternatives[0][0]
    assert running.contract_number in html
    link = re.search(r"/uitnodiging/[^\s\"<]+/", message.body).group(0)

    client.logout()
    response = client.post(link, {"password1": "Bouw-Plaats-2026!x", "password2": "Bouw-Plaats-2026!x"})
    assert response.status_code == 302
    user = User.objects.get(email="sanne@testmans.example")
    assert Membership.objects.filter(user=user, organisation=company, role=Role.SUPPLIER).exists()
    access.refresh_from_db()
    assert access.user == user
    client.force_login(user)
    assert client.get(reverse("portal:contract", args=[running.uuid])).status_code == 200
    start = client.get(reverse("start")).content.decode()
    assert reverse("portal:home") in start


def test_a_known_supplier_contact_gets_access_at_once(client, carol, running, same_company_contract, uma):
    client.force_login(carol)
    client.post(reverse("portal:invite", args=[running.uuid]), {"name": uma.name, "email": uma.email})
    assert SupplierAccess.objects.filter(contract=running, user=uma).exists()
    assert not Invitation.objects.exists()
    assert OutboxMessage.objects.filter(template="supplier_access_granted", recipient=uma).exists()


def test_inviting_the_same_person_twice_is_refused_next_to_the_field(client, carol, running):
    client.force_login(carol)
    address = reverse("portal:invite", args=[running.uuid])
    client.post(address, {"name": "Sanne", "email": "sanne@testmans.example"})
    response = client.post(address, {"name": "Sanne", "email": "sanne@testmans.example"})
    assert response.status_code == 400
    assert "al uitgenodigd" in response.content.decode()
    assert SupplierAccess.objects.count() == 1


def test_bad_invitation_input_is_refused(client, carol, running):
    client.force_login(carol)
    response = client.post(reverse("portal:invite", args=[running.uuid]), {"name": "", "email": "geen-adres"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul de naam van de contactpersoon in." in page and "Vul een geldig e-mailadres in" in page
    assert not SupplierAccess.objects.exists()


def test_a_supplier_member_of_another_company_cannot_be_bound_by_kvk(tom, running):
    """Access needs membership of the company whose KvK number is the contract's supplier's."""
    from portal.access import supplier_contracts
    from tests.portal.conftest import invite

    foreign = SupplierAccess.objects.create(
        organisation=tom.memberships.get().organisation, contract=running, user=tom, email=tom.email, name=tom.name
    )
    assert running not in supplier_contracts(tom)
    foreign.delete()
    invite(running, tom)  # now a member of the right company
    assert running in supplier_contracts(tom)


def test_revoking_access(client, carol, sam, running):
    client.force_login(carol)
    access = SupplierAccess.objects.get(user=sam)
    assert client.post(reverse("portal:access_revoke", args=[running.uuid, access.uuid])).status_code == 302
    access.refresh_from_db()
    assert access.revoked_at is not None
    client.force_login(sam)
    assert client.get(reverse("portal:contract", args=[running.uuid])).status_code == 404


def account_hint(client, contract, email):
    return client.get(reverse("portal:invite", args=[contract.uuid]), {"email": email}, headers={"HX-Request": "true"})


def test_typing_the_address_of_a_known_supplier_contact_shows_the_accounts_name(client, carol, running, uma):
    client.force_login(carol)
    response = account_hint(client, running, "  UMA@testmans.example ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit e-mailadres hoort bij een bestaand account: <strong>Uma Bouwer</strong>. De uitnodiging gaat op die naam." in html
    assert "<form" not in html  # only the fragment


def test_the_lookup_reveals_nothing_about_users_of_other_organisations(client, carol, alice, running, tom):
    client.force_login(carol)
    for email in (tom.email, alice.email, carol.email, "niemand@testmans.example"):
        response = account_hint(client, running, email)
        assert response.status_code == 200
        assert response.content.decode().strip() == "", email


def test_a_coordinator_of_another_service_point_cannot_look_up_addresses(client, frank, running, uma):
    client.force_login(frank)
    assert account_hint(client, running, uma.email).status_code == 404


def test_the_invitation_page_shows_the_account_name_of_the_proposed_contact(client, carol, running, uma):
    running.supplier_contact_email = uma.email
    running.save(update_fields=["supplier_contact_email"])
    client.force_login(carol)
    page = client.get(reverse("portal:invite", args=[running.uuid])).content.decode()
    assert 'id="invite-account-hint"' in page
    assert "hoort bij een bestaand account: <strong>Uma Bouwer</strong>" in page


def test_inviting_a_known_supplier_contact_stores_the_accounts_name_and_says_so(client, carol, running, uma):
    client.force_login(carol)
    response = client.post(
        reverse("portal:invite", args=[running.uuid]), {"name": "U. de Bouwer", "email": uma.email}, follow=True
    )
    access = SupplierAccess.objects.get(contract=running, user=uma)
    assert access.name == "Uma Bouwer"
    html = response.content.decode()
    assert "uma@testmans.example hoort bij het bestaande account van Uma Bouwer. Uma Bouwer heeft nu toegang tot dit contract en krijgt bericht." in html
    assert "U. de Bouwer" not in html
    messages = OutboxMessage.objects.filter(template="supplier_access_granted", recipient=uma)
    assert messages and {m.context["name"] for m in messages} == {"Uma Bouwer"}
