"""Social purchasing is accounted for per invoice: number, date, amount excl. VAT, the social company
from the registry and the invoice itself, valued at the block's percentage. Bad input gets a Dutch
message beside the field and stores nothing; an invoice counts once per company."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from monitoring import services
from monitoring.forms import RealisationForm
from monitoring.models import Agreement, Evidence, Realisation
from tests.contracts import samples
from tests.monitoring.factories import agreement_for, realisation_for
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db

REGISTER_BLOCK = "Inkoop bij een onderneming in het Register Code Sociale Ondernemingen"
SENL_BLOCK = "Inkoop bij een lid van Social Enterprise NL"


def url(name, contract, *args):
    return reverse(f"monitoring:{name}", args=[contract.uuid, *args])


@pytest.fixture
def register_block(v05):
    """100 % of the invoice excl. VAT."""
    return v05.blocks.get(name=REGISTER_BLOCK)


@pytest.fixture
def senl_block(v05):
    """50 % of the invoice excl. VAT."""
    return v05.blocks.get(name=SENL_BLOCK)


@pytest.fixture
def social_company():
    return SupplierFactory(legal_name="Werkbedrijf De Brug B.V.", city="Arnhem")


@pytest.fixture
def purchasing(accepted, carol, register_block):
    """Arnhem's contract with a social-purchasing agreement, agreements recorded."""
    agreement = agreement_for(accepted, register_block, by=carol, description="Catering via De Brug", invoice_amount=Decimal("20000"))
    services.agreements_record(contract=accepted, by=carol)
    return agreement


def invoice_data(agreement, company, **overrides):
    data = {
        "agreement": str(agreement.uuid),
        "invoice_number": "2026-0117",
        "invoice_date": "2026-03-15",
        "invoice_amount": "4.250,00",
        "social_company": str(company.uuid),
        "social_company__zoek": company.legal_name,
        "evidence": [samples.upload("factuur-2026-0117.pdf", samples.PDF)],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_coordinator_records_an_invoice_valued_at_the_blocks_percentage(client, carol, accepted, purchasing, social_company):
    client.force_login(carol)
    response = client.post(url("realisation_create", accepted), invoice_data(purchasing, social_company))
    assert response.status_code == 302
    realisation = Realisation.objects.get()
    assert realisation.invoice_number == "2026-0117"
    assert realisation.invoice_date == datetime.date(2026, 3, 15)
    assert realisation.social_company == social_company
    assert realisation.invoice_amount == Decimal("4250.00")
    # The invoice dates the realisation; no candidate belongs to an invoice.
    assert realisation.period_start == realisation.period_end == datetime.date(2026, 3, 15)
    assert realisation.candidate_reference == ""
    assert realisation.value == Decimal("4250.00")
    assert realisation.status == Realisation.Status.SUBMITTED
    assert Evidence.objects.get().realisation == realisation


def test_a_social_enterprise_nl_member_counts_for_half(client, carol, accepted, senl_block, social_company):
    agreement = agreement_for(accepted, senl_block, by=carol, description="Schoonmaak", invoice_amount=Decimal("10000"))
    services.agreements_record(contract=accepted, by=carol)
    assert agreement.planned_value == Decimal("5000.00")
    client.force_login(carol)
    response = client.post(url("realisation_create", accepted), invoice_data(agreement, social_company, invoice_amount="1001,01"))
    assert response.status_code == 302
    assert Realisation.objects.get().value == Decimal("500.51")


def test_an_agreement_plans_social_purchasing_by_invoice_amount(client, carol, accepted, register_block):
    client.force_login(carol)
    response = client.post(
        url("agreement_create", accepted),
        {"block": str(register_block.uuid), "description": "Inkoop bij De Brug", "invoice_amount": "12.500,00"},
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.invoice_amount == Decimal("12500.00")
    assert agreement.planned_value == Decimal("12500.00")
    assert agreement.persons is None and agreement.months is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"invoice_date": "2025-12-31"}, "invoice_date", "De factuurdatum valt buiten de looptijd van het contract (1 januari 2026 t/m 31 december 2027)."),
        ({"invoice_date": "2028-01-02"}, "invoice_date", "Alleen facturen binnen de looptijd tellen mee."),
        ({"invoice_date": None}, "invoice_date", "Vul de factuurdatum in."),
        ({"invoice_amount": "-100"}, "invoice_amount", "Vul een factuurbedrag groter dan € 0 in; een negatief bedrag of € 0 telt niet mee."),
        ({"invoice_amount": "0"}, "invoice_amount", "Vul een factuurbedrag groter dan € 0 in"),
        ({"amount_includes_vat": "on"}, "amount_includes_vat", "Vul het bedrag exclusief btw in."),
        ({"invoice_number": "  "}, "invoice_number", "Vul het factuurnummer in."),
        ({"social_company": "", "social_company__zoek": "De Br"}, "social_company", "Kies het sociale bedrijf dat de factuur stuurde"),
        ({"evidence": None}, "evidence", "Voeg de factuur toe als bewijsstuk."),
    ],
)
def test_bad_invoice_input_is_refused_beside_the_field(client, carol, accepted, purchasing, social_company, overrides, field, message):
    client.force_login(carol)
    response = client.post(url("realisation_create", accepted), invoice_data(purchasing, social_company, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    # What was typed is kept.
    if "invoice_number" not in overrides:
        assert 'value="2026-0117"' in html
    assert not Realisation.objects.exists()
    assert not Evidence.objects.exists()


def test_the_form_keeps_the_chosen_company_after_an_error(client, carol, accepted, purchasing, social_company):
    client.force_login(carol)
    response = client.post(url("realisation_create", accepted), invoice_data(purchasing, social_company, invoice_amount="0"))
    html = response.content.decode()
    assert f'value="{social_company.uuid}"' in html
    assert "Werkbedrijf De Brug B.V., Arnhem" in html


class TestInvoiceCountsOnce:
    @pytest.fixture
    def earlier(self, accepted, carol, purchasing, social_company):
        return realisation_for(
            accepted, agreement=purchasing, by=carol, invoice_number="2026-0117", invoice_date=datetime.date(2026, 2, 1),
            period_start=datetime.date(2026, 2, 1), period_end=datetime.date(2026, 2, 1),
            invoice_amount=Decimal("800"), social_company=social_company,
        )

    def test_the_same_number_of_the_same_company_is_refused(self, client, carol, accepted, purchasing, social_company, earlier):
        client.force_login(carol)
        data = invoice_data(purchasing, social_company, invoice_number="2026-0117 ")
        response = client.post(url("realisation_create", accepted), data)
        assert response.status_code == 400
        assert "Factuur 2026-0117 van Werkbedrijf De Brug B.V. is al vastgelegd." in response.content.decode()
        assert Realisation.objects.count() == 1

    def test_case_does_not_make_another_invoice(self, client, carol, accepted, purchasing, social_company):
        realisation_for(
            accepted, agreement=purchasing, by=carol, invoice_number="F-17", invoice_date=datetime.date(2026, 2, 1),
            period_start=datetime.date(2026, 2, 1), period_end=datetime.date(2026, 2, 1),
            invoice_amount=Decimal("800"), social_company=social_company,
        )
        client.force_login(carol)
        response = client.post(url("realisation_create", accepted), invoice_data(purchasing, social_company, invoice_number="f-17"))
        assert response.status_code == 400
        assert Realisation.objects.count() == 1

    def test_the_same_number_of_another_company_is_accepted(self, client, carol, accepted, purchasing, earlier):
        client.force_login(carol)
        response = client.post(url("realisation_create", accepted), invoice_data(purchasing, SupplierFactory()))
        assert response.status_code == 302
        assert Realisation.objects.count() == 2

    def test_a_rejected_invoice_may_be_entered_again(self, client, carol, accepted, purchasing, social_company, earlier):
        services.realisation_assess(realisation=earlier, decision="rejected", reason="Verkeerde factuur", by=carol)
        client.force_login(carol)
        response = client.post(url("realisation_create", accepted), invoice_data(purchasing, social_company))
        assert response.status_code == 302
        assert Realisation.objects.count() == 2

    def test_correcting_the_invoice_itself_is_no_reuse(self, client, carol, accepted, purchasing, social_company, earlier):
        client.force_login(carol)
        data = invoice_data(purchasing, social_company, invoice_amount="900")
        response = client.post(url("realisation_update", accepted, earlier.uuid), data)
        assert response.status_code == 302
        earlier.refresh_from_db()
        assert earlier.value == Decimal("900.00")

    def test_the_database_refuses_a_second_row_for_the_same_invoice(self, earlier, social_company):
        with pytest.raises(IntegrityError), transaction.atomic():
            Realisation.objects.create(
                organisation=earlier.organisation, contract=earlier.contract, block=earlier.block,
                period_start=earlier.period_start, period_end=earlier.period_end, invoice_date=earlier.invoice_date,
                invoice_number="2026-0117".upper(), invoice_amount=Decimal("1"), social_company=social_company,
                value=Decimal("1"),
            )

    def test_a_race_the_database_catches_gets_the_fields_message(self, client, carol, accepted, purchasing, social_company, earlier):
        """Two people save the same invoice at once: the form's check saw none, the constraint refuses."""
        client.force_login(carol)
        with mock.patch.object(RealisationForm, "_invoice_reused", return_value=False):
            response = client.post(url("realisation_create", accepted), invoice_data(purchasing, social_company))
        assert response.status_code == 400
        html = response.content.decode()
        assert "Factuur 2026-0117 van Werkbedrijf De Brug B.V. is al vastgelegd." in html
        assert 'id="id_invoice_number_error"' in html
        assert Realisation.objects.count() == 1
        assert Evidence.objects.count() == 0


def test_the_database_refuses_an_incomplete_invoice(accepted, carol, purchasing, social_company):
    with pytest.raises(IntegrityError), transaction.atomic():
        Realisation.objects.create(
            organisation=accepted.organisation, contract=accepted, block=purchasing.block,
            period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 3, 1),
            invoice_number="X-1", invoice_amount=Decimal("10"), social_company=social_company, value=Decimal("10"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Realisation.objects.create(
            organisation=accepted.organisation, contract=accepted, block=purchasing.block,
            period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 3, 31), invoice_date=datetime.date(2026, 3, 1),
            invoice_number="X-1", invoice_amount=Decimal("10"), social_company=social_company, value=Decimal("10"),
        )


def test_other_blocks_keep_no_invoice_fields(client, carol, accepted, per_month_block, social_company):
    agreement = agreement_for(accepted, per_month_block, by=carol, persons=1, months=Decimal("3"))
    services.agreements_record(contract=accepted, by=carol)
    client.force_login(carol)
    data = {
        "agreement": str(agreement.uuid), "period_start": "2026-02-01", "period_end": "2026-04-30",
        "candidate_reference": "GW-01", "invoice_number": "F-1", "invoice_date": "2026-02-02",
        "social_company": str(social_company.uuid),
    }
    assert client.post(url("realisation_create", accepted), data).status_code == 302
    realisation = Realisation.objects.get()
    assert (realisation.invoice_number, realisation.invoice_date, realisation.social_company) == ("", None, None)
    assert realisation.value == Decimal("2250.00")


class TestAssessment:
    @pytest.fixture
    def invoice(self, client, carol, accepted, purchasing, social_company):
        client.force_login(carol)
        client.post(url("realisation_create", accepted), invoice_data(purchasing, social_company))
        return Realisation.objects.get()

    def test_the_coordinator_sees_the_invoice_and_approves_it(self, client, carol, accepted, invoice):
        html = client.get(url("realisation", accepted, invoice.uuid)).content.decode()
        for text in ("2026-0117", "15 maart 2026", "Werkbedrijf De Brug B.V.", "€ 4.250,00", "factuur-2026-0117.pdf"):
            assert text in html
        response = client.post(url("realisation_approve", accepted, invoice.uuid))
        assert response.status_code == 302
        invoice.refresh_from_db()
        assert invoice.status == Realisation.Status.APPROVED
        workspace = client.get(url("workspace", accepted)).content.decode()
        assert "2026-0117" in workspace

    def test_rejecting_needs_a_reason(self, client, carol, accepted, invoice):
        response = client.post(url("realisation_reject", accepted, invoice.uuid), {"reason": ""})
        assert response.status_code == 400
        response = client.post(url("realisation_reject", accepted, invoice.uuid), {"reason": "Factuur is niet betaald"})
        invoice.refresh_from_db()
        assert invoice.status == Realisation.Status.REJECTED

    def test_the_only_invoice_file_cannot_be_removed(self, client, carol, accepted, invoice):
        evidence = invoice.evidence.get()
        client.post(url("evidence_delete", accepted, evidence.uuid))
        assert Evidence.objects.filter(pk=evidence.pk).exists()


class TestTenancy:
    def test_another_service_points_coordinator_gets_404(self, client, frank, accepted, purchasing, social_company):
        client.force_login(frank)
        response = client.post(url("realisation_create", accepted), invoice_data(purchasing, social_company))
        assert response.status_code == 404
        assert client.get(url("realisation_create", accepted)).status_code == 404
        assert not Realisation.objects.exists()

    def test_an_invoice_of_another_organisations_contract_is_not_shown(self, client, carol, dave, accepted, purchasing, social_company):
        realisation = realisation_for(
            accepted, agreement=purchasing, by=carol, invoice_number="F-9", invoice_date=datetime.date(2026, 2, 1),
            period_start=datetime.date(2026, 2, 1), period_end=datetime.date(2026, 2, 1),
            invoice_amount=Decimal("800"), social_company=social_company,
        )
        client.force_login(dave)
        assert client.get(url("realisation", accepted, realisation.uuid)).status_code == 404
