"""When the coordinator accepts a handed-over contract (or assigns it before anyone accepted it), the
buyer's contact persons hear once who follows it up and how to reach them."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from monitoring import services
from monitoring.services import WorkflowError
from wizzr.models import Notification, OutboxMessage
from wizzr.notifications import deliver

pytestmark = pytest.mark.django_db


def accepted_mails():
    return OutboxMessage.objects.filter(template="contract_accepted", channel=OutboxMessage.Channel.EMAIL)


def test_accepting_tells_the_contact_persons_once_who_the_coordinator_is(contract, alice, erin, carol, colleague):
    services.contract_accept(contract=contract, by=carol)

    row = accepted_mails().get()
    assert row.to_email == alice.email  # the contact person; erin advises Arnhem too but is no contact of this contract
    assert row.context["coordinator"] == "Carol Visser" and row.context["coordinator_email"] == carol.email
    assert OutboxMessage.objects.filter(template="contract_accepted", channel="in_app", recipient=alice).count() == 1

    with pytest.raises(WorkflowError):
        services.contract_accept(contract=contract, by=colleague)
    services.contract_assign(contract=contract, coordinator=colleague, by=carol)
    assert accepted_mails().count() == 1


def test_the_mail_names_how_to_reach_the_coordinator_and_links_to_the_buyers_contract_page(contract, alice, carol):
    carol.phone = "026 351 00 00"
    carol.save()
    services.contract_accept(contract=contract, by=carol)
    for row in OutboxMessage.objects.filter(template="contract_accepted"):
        deliver(row.pk)

    message = mail.outbox[-1]
    assert message.to == [alice.email] and contract.contract_number in message.subject
    link = f"{settings.SITE_URL}{reverse('monitoring:contract', args=[contract.uuid])}"
    assert link in message.body and f'href="{link}"' in message.alternatives[0].content
    for part in (message.body, message.alternatives[0].content):
        assert "Carol Visser" in part and carol.email in part and "026 351 00 00" in part
        assert "Steunpunt SROI Midden-Gelderland" in part
    notification = Notification.objects.get(user=alice)
    assert "Carol Visser" in notification.title and notification.url == reverse("monitoring:contract", args=[contract.uuid])


def test_assigning_before_anyone_accepted_tells_the_buyer_the_assigned_coordinator(contract, alice, carol, colleague):
    services.contract_assign(contract=contract, coordinator=colleague, by=carol)

    row = accepted_mails().get()
    assert row.to_email == alice.email
    assert row.context["coordinator"] == "Gijs Hendriks" and row.context["coordinator_email"] == colleague.email

    services.contract_assign(contract=contract, coordinator=carol, by=carol)
    assert accepted_mails().count() == 1


def test_without_contact_persons_the_advisors_of_the_organisation_hear_it(renkum_contract, bob, alice, carol):
    services.contract_accept(contract=renkum_contract, by=carol)

    assert list(accepted_mails().values_list("to_email", flat=True)) == [bob.email]
