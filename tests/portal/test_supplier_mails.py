"""The mails around a reporting period: the coordinator hears once that the supplier submitted it,
and the supplier contacts hear how each realisation they entered was assessed."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from monitoring import services as monitoring_services
from monitoring.models import Assessment, Realisation
from portal import services
from portal.services import WorkflowError
from tests.factories import member
from tests.monitoring.factories import realisation_for
from wizzr.models import OutboxMessage, Role
from wizzr.notifications import deliver

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def colleague(service_point):
    """A second coordinator of Midden-Gelderland, not assigned to the contract."""
    return member("gijs@steunpunt-mg.example", service_point, Role.COORDINATOR, name="Gijs Hendriks")


PERIOD_END = D(2026, 11, 30)


def enter(period, sam, *, end=PERIOD_END, reference="JV-01") -> Realisation:
    agreement = period.contract.agreements.get()
    realisation = Realisation(
        contract=period.contract, agreement=agreement, block=agreement.block,
        period_start=period.period_start, period_end=end, candidate_reference=reference,
    )
    return services.supplier_realisation_save(period=period, realisation=realisation, bonuses=[], by=sam)


def emails(template: str):
    return OutboxMessage.objects.filter(template=template, channel=OutboxMessage.Channel.EMAIL)


def delivered(template: str):
    for row in OutboxMessage.objects.filter(template=template):
        deliver(row.pk)
    return list(mail.outbox)


def test_submitting_a_period_tells_the_assigned_coordinator_once_with_count_and_value(open_period, sam, carol, colleague):
    enter(open_period, sam)
    enter(open_period, sam, end=D(2026, 10, 31), reference="JV-02")
    services.period_submit(period=open_period, nothing_to_report=False, by=sam)

    row = emails("realisation_submitted").get()
    assert row.to_email == carol.email  # the contract's coordinator, not every coordinator of the service point
    assert row.context["count"] == 2 and row.context["total"] == "€ 2.250,00"  # € 750 × 2 months + € 750 × 1 month
    with pytest.raises(WorkflowError):
        services.period_submit(period=open_period, nothing_to_report=False, by=sam)
    assert emails("realisation_submitted").count() == 1

    message = delivered("realisation_submitted")[0]
    assert message.to == [carol.email]
    assert "Er zijn 2 realisaties ingediend, met een totale waarde van € 2.250,00." in message.body
    link = f"{settings.SITE_URL}{reverse('monitoring:workspace', args=[open_period.contract.uuid])}"
    assert link in message.body and f'href="{link}"' in message.alternatives[0].content


def test_nothing_to_report_reaches_the_coordinator_with_the_reason(open_period, sam, carol):
    services.period_submit(period=open_period, nothing_to_report=True, reason="Ruwbouw door onderaannemer.", by=sam)

    message = delivered("realisation_submitted")[0]
    assert message.to == [carol.email] and "Niets te melden" in message.subject
    assert "Toelichting: Ruwbouw door onderaannemer." in message.body
    assert "Ruwbouw door onderaannemer." in message.alternatives[0].content


def test_without_an_assigned_coordinator_every_coordinator_of_the_service_point_hears_it(open_period, sam, carol, colleague):
    follow_up = open_period.contract.follow_up
    follow_up.coordinator = None
    follow_up.save(update_fields=["coordinator"])
    services.period_submit(period=open_period, nothing_to_report=True, reason="Geen werk.", by=sam)

    assert sorted(emails("realisation_submitted").values_list("to_email", flat=True)) == sorted([carol.email, colleague.email])


def test_an_approved_realisation_is_reported_once_to_the_invited_supplier_contacts(open_period, sam, uma, tom, carol):
    realisation = enter(open_period, sam)
    services.period_submit(period=open_period, nothing_to_report=False, by=sam)
    monitoring_services.realisation_assess(realisation=realisation, decision=Assessment.Decision.APPROVED, by=carol)

    row = emails("realisation_approved").get()
    assert row.to_email == sam.email  # uma (same company, other contract) and tom (other company) are not told
    assert OutboxMessage.objects.filter(template="realisation_approved", channel="in_app", recipient=sam).count() == 1
    with pytest.raises(monitoring_services.WorkflowError):
        monitoring_services.realisation_assess(realisation=realisation, decision=Assessment.Decision.APPROVED, by=carol)
    assert emails("realisation_approved").count() == 1

    message = delivered("realisation_approved")[0]
    assert realisation.block.name in message.body and "€ 1.500,00" in message.body
    link = f"{settings.SITE_URL}{reverse('portal:realisation', args=[open_period.contract.uuid, realisation.uuid])}"
    assert link in message.body and f'href="{link}"' in message.alternatives[0].content


def test_a_realisation_the_coordinator_entered_sends_the_supplier_no_mail(running, sam, carol):
    realisation = realisation_for(running, agreement=running.agreements.get(), by=carol, period_start=D(2026, 1, 1), period_end=D(2026, 2, 28))
    monitoring_services.realisation_assess(realisation=realisation, decision=Assessment.Decision.APPROVED, by=carol)

    assert not OutboxMessage.objects.filter(template="realisation_approved").exists()


def test_the_rejection_names_the_building_block_in_both_parts(open_period, sam, carol):
    realisation = enter(open_period, sam)
    services.period_submit(period=open_period, nothing_to_report=False, by=sam)
    monitoring_services.realisation_assess(
        realisation=realisation, decision=Assessment.Decision.REJECTED, reason="Loonstroken ontbreken.", by=carol
    )

    message = delivered("supplier_realisation_rejected")[0]
    html = message.alternatives[0].content
    assert f"‘{realisation.block.name}’" in message.body
    assert f"‘{realisation.block.name}’" in html and "Node" not in html
    assert "Reden: Loonstroken ontbreken." in message.body
