"""Bad input on agreements and realisations: a clear Dutch message beside the field, nothing stored."""

from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.models import Agreement, Evidence, Realisation
from tests.contracts import samples
from tests.monitoring.factories import agreement_for

pytestmark = pytest.mark.django_db


def url(name, contract, *args):
    return reverse(f"monitoring:{name}", args=[contract.uuid, *args])


def post_agreement(client, contract, **data):
    return client.post(url("agreement_create", contract), {"description": "Leerwerkplek", **data})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"persons": "1", "hours_per_week": "61", "months": "12"}, "Meer dan 60 uur per week is niet mogelijk."),
        ({"persons": "1", "hours_per_week": "0", "months": "12"}, "Vul een aantal uren per week groter dan 0 in."),
        ({"persons": "1", "months": "12"}, "Vul dit in; het bouwblok ‘Participatiewet, uitkering korter dan 2 jaar’ rekent met uren per week."),
        ({"persons": "0", "hours_per_week": "24", "months": "12"}, "Vul ten minste 1 persoon in."),
        ({"persons": "1", "hours_per_week": "24", "months": "-3"}, "Vul een aantal maanden groter dan 0 in."),
    ],
)
def test_agreement_quantities_out_of_range_are_refused(client, carol, accepted, per_year_block, data, message):
    client.force_login(carol)
    response = post_agreement(client, accepted, block=str(per_year_block.uuid), **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="Leerwerkplek"' in html or "Leerwerkplek</textarea>" in html
    assert not Agreement.objects.exists()


def test_a_negative_invoice_amount_is_refused(client, carol, accepted, utrecht_version, v05):
    block = utrecht_version.blocks.get(unit="invoice_percentage")
    # Pin Utrecht's version for this check: the unit matters here, not the region.
    follow_up = accepted.follow_up
    follow_up.catalogue_version = utrecht_version
    follow_up.save()
    client.force_login(carol)
    response = post_agreement(client, accepted, block=str(block.uuid), invoice_amount="-100")
    assert response.status_code == 400
    assert "Vul een bedrag van 0 of meer in; een negatief bedrag is niet mogelijk." in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_block_of_another_catalogue_version_is_refused(client, carol, accepted, utrecht_version):
    other = utrecht_version.blocks.first()
    client.force_login(carol)
    response = post_agreement(client, accepted, block=str(other.uuid), persons="1", hours_per_week="36", months="12")
    assert response.status_code == 400
    assert (
        "Dit bouwblok hoort niet bij het bouwblokkenmodel van dit contract "
        "(Uniform Bouwblokkenmodel Oost-Nederland V05 april 2023)." in response.content.decode()
    )
    assert not Agreement.objects.exists()


def test_a_bonus_of_another_version_is_refused(client, carol, accepted, per_year_block, utrecht_version):
    bonus = utrecht_version.bonuses.first()
    client.force_login(carol)
    response = post_agreement(
        client, accepted, block=str(per_year_block.uuid), persons="1", hours_per_week="36", months="12", bonuses=str(bonus.uuid)
    )
    assert response.status_code == 400
    assert not Agreement.objects.exists()


@pytest.fixture
def agreed(accepted, carol, per_year_block):
    agreement = agreement_for(accepted, per_year_block, by=carol, persons=1, hours_per_week=Decimal("24"), months=Decimal("18"))
    services.agreements_record(contract=accepted, by=carol)
    return agreement


def realisation_data(agreement, **overrides):
    return {
        "agreement": str(agreement.uuid),
        "period_start": "2026-02-01",
        "period_end": "2026-04-30",
        "hours_per_week": "24",
        "candidate_reference": "GW-01",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"period_end": "2026-01-15"}, "De einddatum ligt vóór de begindatum. Controleer de periode."),
        ({"period_start": "2025-12-01"}, "De periode valt (deels) buiten de looptijd van het contract (1 januari 2026 t/m 31 december 2027)."),
        ({"period_end": "2028-01-31"}, "Vul alleen het deel binnen de looptijd in."),
        ({"hours_per_week": "61"}, "Meer dan 60 uur per week is niet mogelijk."),
        ({"hours_per_week": "-4"}, "Vul een aantal uren per week groter dan 0 in."),
        ({"candidate_reference": "123456782"}, "Dit lijkt op een BSN of ander nummer."),
        ({"candidate_reference": "Jan <b>"}, "Gebruik alleen letters, cijfers, punten, streepjes en spaties"),
        ({"candidate_reference": ""}, "Vul initialen of een code van de kandidaat in."),
        ({"period_start": "31-31-2026"}, "Vul een geldige datum in"),
    ],
)
def test_bad_realisations_are_refused_with_a_message(client, carol, accepted, agreed, overrides, message):
    client.force_login(carol)
    response = client.post(url("realisation_create", accepted), realisation_data(agreed, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Realisation.objects.exists()


def test_the_form_explains_the_contract_term_rule_and_warns_about_personal_data(client, carol, accepted, agreed):
    client.force_login(carol)
    html = client.get(url("realisation_create", accepted)).content.decode()
    assert "De periode valt binnen de looptijd van het contract (1 januari 2026 t/m 31 december 2027)." in html
    assert "Vul geen namen, BSN, adressen of gegevens over gezondheid in" in html
    assert "bsn" not in [name.lower() for name in Realisation._meta.fields_map]
    assert not any("bsn" in field.name for field in Realisation._meta.get_fields())


def test_a_block_that_does_not_match_the_agreement_is_refused(client, carol, accepted, agreed, per_month_block):
    client.force_login(carol)
    response = client.post(url("realisation_create", accepted), realisation_data(agreed, block=str(per_month_block.uuid)))
    assert response.status_code == 400
    assert "Dit bouwblok past niet bij de gekozen afspraak" in response.content.decode()


def test_an_agreement_of_another_contract_is_refused(client, carol, accepted, agreed, renkum_contract, per_month_block):
    other = agreement_for(renkum_contract, per_month_block, by=carol, persons=1, months=Decimal("3"))
    client.force_login(carol)
    response = client.post(url("realisation_create", accepted), {**realisation_data(agreed), "agreement": str(other.uuid)})
    assert response.status_code == 400
    assert "Deze afspraak hoort niet bij dit contract." in response.content.decode()


def test_a_bad_evidence_file_stores_nothing_and_keeps_the_input(client, carol, accepted, agreed):
    client.force_login(carol)
    data = realisation_data(agreed, evidence=[samples.upload("contract.pdf", samples.EXE)])
    response = client.post(url("realisation_create", accepted), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "De inhoud van “contract.pdf” past niet bij een PDF-bestand." in html
    assert 'value="GW-01"' in html
    assert not Realisation.objects.exists()
    assert not Evidence.objects.exists()


def test_a_good_evidence_file_is_stored_privately_and_downloaded_as_attachment(client, carol, accepted, agreed):
    client.force_login(carol)
    data = realisation_data(agreed, evidence=[samples.upload("urenoverzicht.pdf", samples.PDF)])
    assert client.post(url("realisation_create", accepted), data).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.organisation == accepted.organisation
    assert evidence.path.read_bytes() == samples.PDF
    response = client.get(url("evidence", accepted, evidence.uuid))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == samples.PDF


class TestBirthYear:
    @pytest.fixture
    def utrecht_agreed(self, accepted, carol, utrecht_version):
        follow_up = accepted.follow_up
        follow_up.catalogue_version = utrecht_version
        follow_up.save()
        block = utrecht_version.blocks.get(name="Participatiewet")
        agreement = agreement_for(accepted, block, by=carol, persons=1, hours_per_week=Decimal("36"), months=Decimal("12"))
        services.agreements_record(contract=accepted, by=carol)
        return agreement

    def test_a_birth_year_without_an_age_bonus_is_not_kept(self, client, carol, accepted, utrecht_agreed):
        client.force_login(carol)
        response = client.post(url("realisation_create", accepted), realisation_data(utrecht_agreed, birth_year="1960"))
        assert response.status_code == 400
        assert "Vul het geboortejaar alleen in als een leeftijdsbonus van toepassing is" in response.content.decode()

    def test_an_age_bonus_needs_a_birth_year_old_enough(self, client, carol, accepted, utrecht_agreed, utrecht_version):
        bonus = utrecht_version.bonuses.get(kind="age")
        client.force_login(carol)
        response = client.post(url("realisation_create", accepted), realisation_data(utrecht_agreed, bonuses=str(bonus.uuid)))
        assert "Vul het geboortejaar in; de leeftijdsbonus hangt ervan af." in response.content.decode()
        response = client.post(
            url("realisation_create", accepted), realisation_data(utrecht_agreed, bonuses=str(bonus.uuid), birth_year="1990")
        )
        assert "jonger dan 50 jaar" in response.content.decode()
        assert not Realisation.objects.exists()

    def test_an_age_bonus_adds_its_value(self, client, carol, accepted, utrecht_agreed, utrecht_version):
        bonus = utrecht_version.bonuses.get(kind="age")
        client.force_login(carol)
        response = client.post(
            url("realisation_create", accepted),
            realisation_data(utrecht_agreed, bonuses=str(bonus.uuid), birth_year="1965", hours_per_week="36",
                             period_start="2026-01-01", period_end="2026-06-30"),
        )
        assert response.status_code == 302
        realisation = Realisation.objects.get()
        # (€ 40,000 + € 10,000) × 36/36 × 6/12
        assert realisation.value == Decimal("25000.00")
        assert realisation.birth_year == 1965


def test_the_counting_duration_carries_over_periods_of_the_same_candidate(client, carol, accepted, per_year_block):
    agreement = agreement_for(accepted, per_year_block, by=carol, persons=1, hours_per_week=Decimal("36"), months=Decimal("24"))
    services.agreements_record(contract=accepted, by=carol)
    client.force_login(carol)
    client.post(url("realisation_create", accepted), realisation_data(
        agreement, period_start="2026-01-01", period_end="2027-06-30", hours_per_week="36"))
    client.post(url("realisation_create", accepted), realisation_data(
        agreement, period_start="2027-07-01", period_end="2027-12-31", hours_per_week="36"))
    first, second = Realisation.objects.order_by("period_start")
    assert first.value == Decimal("45000.00")  # 18 months
    assert second.value == Decimal("15000.00")  # 6 more: 24 in all, the block's counting duration
    third_response = client.post(url("realisation_preview", accepted), realisation_data(
        agreement, period_start="2027-07-01", period_end="2027-12-31", hours_per_week="36", candidate_reference="OTHER"))
    assert "€ 15.000,00" in third_response.content.decode()
