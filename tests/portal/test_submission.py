"""The supplier enters realisations for an open period, sees the value first, submits the period
(or ‘niets te melden’ with a reason), and corrects a rejected realisation."""

from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring import services as monitoring_services
from monitoring.models import Assessment, Evidence, Realisation
from portal.models import PeriodRealisation, ReportingPeriod
from tests.contracts import samples
from wizzr.models import OutboxMessage

pytestmark = pytest.mark.django_db


def form_data(agr, period, **overrides):
    data = {
        "agreement": str(agr.uuid),
        "period_start": period.period_start.isoformat(),
        "period_end": period.period_end.isoformat(),
        "candidate_reference": "JV-01",
    }
    data.update(overrides)
    return data


@pytest.fixture
def agreement(running):
    return running.agreements.get()


def create_url(period):
    return reverse("portal:realisation_create", args=[period.contract.uuid, period.uuid])


def test_the_supplier_submits_a_realisation_valued_like_the_coordinators(client, sam, open_period, agreement):
    client.force_login(sam)
    response = client.post(create_url(open_period), form_data(agreement, open_period))
    assert response.status_code == 302
    realisation = Realisation.objects.get()
    # € 750 per month × 3 months (October–December).
    assert realisation.value == Decimal("2250.00")
    assert realisation.status == Realisation.Status.SUBMITTED
    assert realisation.submitted_by == sam
    assert PeriodRealisation.objects.get().period == open_period
    page = client.get(response["Location"]).content.decode()
    assert "€ 2.250,00" in page


def test_the_preview_shows_the_value_before_sending(client, sam, open_period, agreement):
    client.force_login(sam)
    data = {**form_data(agreement, open_period), "period": str(open_period.uuid)}
    response = client.post(reverse("portal:realisation_preview", args=[open_period.contract.uuid]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "€ 2.250,00" in response.content.decode()
    assert not Realisation.objects.exists()


def test_evidence_goes_through_the_same_upload_validation(client, sam, open_period, agreement):
    client.force_login(sam)
    bad = samples.upload("bewijs.pdf", b"<html>not a pdf</html>")
    response = client.post(create_url(open_period), {**form_data(agreement, open_period), "evidence": bad})
    assert response.status_code == 400
    assert not Realisation.objects.exists() and not Evidence.objects.exists()
    good = samples.upload("bewijs.pdf", samples.PDF)
    assert client.post(create_url(open_period), {**form_data(agreement, open_period), "evidence": good}).status_code == 302
    assert Evidence.objects.get().display_name == "bewijs.pdf"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"period_start": "2026-09-01"}, "Deze rapportage gaat over"),
        ({"candidate_reference": "123456789"}, "lijkt op een BSN"),
        ({"candidate_reference": ""}, "Vul initialen of een code van de kandidaat in."),
        ({"period_end": "2026-09-30"}, "De einddatum ligt vóór de begindatum."),
        ({"agreement": "", "block": ""}, "Kies een afspraak of een bouwblok."),
    ],
)
def test_bad_input_gets_a_dutch_message_and_keeps_the_input(client, sam, open_period, agreement, overrides, message):
    client.force_login(sam)
    response = client.post(create_url(open_period), form_data(agreement, open_period, **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert not Realisation.objects.exists()


def test_a_realisation_for_a_period_that_is_not_open_is_refused(client, sam, open_period, agreement):
    open_period.status = ReportingPeriod.Status.SUBMITTED
    open_period.nothing_to_report, open_period.nothing_reason = True, "Stil"
    from django.utils import timezone

    open_period.submitted_at = timezone.now()
    open_period.save()
    client.force_login(sam)
    response = client.post(create_url(open_period), form_data(agreement, open_period))
    assert response.status_code == 400
    assert "niet open" in response.content.decode()
    assert not Realisation.objects.exists()


def test_the_service_refuses_a_period_that_is_not_open(sam, open_period, agreement):
    from portal.services import WorkflowError, supplier_realisation_save

    ReportingPeriod.objects.filter(pk=open_period.pk).update(status="assessed", submitted_at="2026-11-01T10:00:00Z")
    realisation = Realisation(
        contract=open_period.contract, agreement=agreement, block=agreement.block, candidate_reference="X",
        period_start=open_period.period_start, period_end=open_period.period_end,
    )
    with pytest.raises(WorkflowError):
        supplier_realisation_save(period=open_period, realisation=realisation, bonuses=[], by=sam)
    assert not Realisation.objects.exists()


def submit_one(client, sam, period, agreement):
    client.force_login(sam)
    client.post(create_url(period), form_data(agreement, period))
    return Realisation.objects.latest("created_at")


def test_submitting_the_period_with_its_realisations(client, sam, open_period, agreement):
    submit_one(client, sam, open_period, agreement)
    response = client.post(reverse("portal:period_submit", args=[open_period.contract.uuid, open_period.uuid]), {})
    assert response.status_code == 302
    open_period.refresh_from_db()
    assert open_period.status == ReportingPeriod.Status.SUBMITTED and open_period.submitted_by == sam
    again = client.post(reverse("portal:period_submit", args=[open_period.contract.uuid, open_period.uuid]), {})
    assert again.status_code == 400


def test_nothing_to_report_needs_a_reason(client, sam, open_period):
    client.force_login(sam)
    address = reverse("portal:period_submit", args=[open_period.contract.uuid, open_period.uuid])
    response = client.post(address, {"nothing_to_report": "on", "reason": " "})
    assert response.status_code == 400
    assert "Geef een toelichting" in response.content.decode()
    open_period.refresh_from_db()
    assert open_period.is_open
    assert client.post(address, {"nothing_to_report": "on", "reason": "Geen plaatsingen dit kwartaal"}).status_code == 302
    open_period.refresh_from_db()
    assert open_period.status == ReportingPeriod.Status.SUBMITTED
    assert open_period.nothing_to_report and open_period.nothing_reason == "Geen plaatsingen dit kwartaal"


def test_an_empty_period_cannot_be_submitted_without_nothing_to_report(client, sam, open_period):
    client.force_login(sam)
    response = client.post(reverse("portal:period_submit", args=[open_period.contract.uuid, open_period.uuid]), {})
    assert response.status_code == 400
    assert "Voeg eerst een realisatie toe" in response.content.decode()


def test_a_rejected_realisation_is_corrected_and_resubmitted(client, sam, carol, open_period, agreement):
    realisation = submit_one(client, sam, open_period, agreement)
    client.post(reverse("portal:period_submit", args=[open_period.contract.uuid, open_period.uuid]), {})
    monitoring_services.realisation_assess(
        realisation=realisation, decision=Assessment.Decision.REJECTED, reason="Periode klopt niet", by=carol
    )
    # The supplier hears of it, in Dutch.
    mail = OutboxMessage.objects.get(template="supplier_realisation_rejected", channel="email")
    assert mail.to_email == sam.email
    home = client.get(reverse("portal:home")).content.decode()
    assert "Periode klopt niet" in home
    address = reverse("portal:realisation_update", args=[open_period.contract.uuid, realisation.uuid])
    data = form_data(agreement, open_period, period_start="2026-11-01", realisation=str(realisation.uuid))
    assert client.post(address, data).status_code == 302
    realisation.refresh_from_db()
    assert realisation.status == Realisation.Status.SUBMITTED
    assert realisation.value == Decimal("1500.00")
    open_period.refresh_from_db()
    assert open_period.status == ReportingPeriod.Status.SUBMITTED


def test_an_approved_realisation_is_locked(client, sam, carol, open_period, agreement):
    realisation = submit_one(client, sam, open_period, agreement)
    monitoring_services.realisation_assess(realisation=realisation, decision=Assessment.Decision.APPROVED, by=carol)
    address = reverse("portal:realisation_update", args=[open_period.contract.uuid, realisation.uuid])
    assert client.get(address).status_code == 302
    response = client.post(address, form_data(agreement, open_period, candidate_reference="ANDERS"))
    assert response.status_code == 400
    assert "kan niet meer worden gewijzigd" in response.content.decode()
    realisation.refresh_from_db()
    assert realisation.candidate_reference == "JV-01" and realisation.status == Realisation.Status.APPROVED


def test_all_realisations_assessed_marks_the_period_assessed(client, sam, carol, open_period, agreement):
    realisation = submit_one(client, sam, open_period, agreement)
    client.post(reverse("portal:period_submit", args=[open_period.contract.uuid, open_period.uuid]), {})
    monitoring_services.realisation_assess(realisation=realisation, decision=Assessment.Decision.APPROVED, by=carol)
    open_period.refresh_from_db()
    assert open_period.status == ReportingPeriod.Status.ASSESSED


def test_extra_fields_are_ignored(client, sam, open_period, agreement, utrecht):
    client.force_login(sam)
    client.post(create_url(open_period), {**form_data(agreement, open_period), "organisation": str(utrecht.uuid), "status": "approved", "value": "999999"})
    realisation = Realisation.objects.get()
    assert realisation.organisation == open_period.contract.organisation
    assert realisation.status == Realisation.Status.SUBMITTED and realisation.value == Decimal("2250.00")
