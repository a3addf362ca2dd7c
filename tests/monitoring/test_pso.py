"""The PSO discount on the obligation: applied at handover from the pinned version's rule for the
level of the supplier's checked certificate, recorded by the coordinator (a certificate expired
before the handover is refused by its field), re-checked daily while the contract runs."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from catalogue.models import PsoDiscount
from contracts.models import Contract
from contracts.services import contract_hand_over
from monitoring import services
from monitoring.tasks import recheck_pso_discounts
from suppliers.models import PsoCertificate
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.suppliers.factories import PsoCertificateFactory
from wizzr.models import AuditEvent, Notification, OutboxMessage

pytestmark = pytest.mark.django_db

D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HANDOVER = D(2026, 3, 2)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
TEXT = "Verplichting € 25.000,00, PSO-korting 10 % (trede 2): € 22.500,00"


def on(day: datetime.date):
    """The clock at ten in the morning of ``day`` (Amsterdam)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=AMSTERDAM), tick=False)


@pytest.fixture
def rule(v05):
    """A PSO rule in Oost-Nederland V05 made for the tests (the shipped version gives none)."""
    for level, percentage in [("step_1", "5"), ("step_2", "10"), ("step_3", "15")]:
        PsoDiscount.objects.create(version=v05, level=level, percentage=Decimal(percentage))
    return v05


@pytest.fixture
def supplier():
    return SupplierFactory(legal_name="Groen Techniek B.V.", kvk_number="12345678")


@pytest.fixture
def concept(arnhem, alice, supplier, v05):
    """Arnhem's concept: 5 % of € 500,000 = € 25,000, supplier Groen Techniek."""
    contract = ContractFactory(
        organisation=arnhem,
        supplier=supplier,
        contract_number="PSO-001",
        start_date=D(2026, 1, 1),
        end_date=D(2027, 12, 31),
        contract_value=Decimal("500000.00"),
        status=Contract.Status.DRAFT,
    )
    contract.contact_persons.add(alice)
    return contract


VALID_FROM, VALID_UNTIL = D(2025, 7, 1), D(2026, 6, 30)


def certificate(supplier, level="step_2", valid_from=VALID_FROM, valid_until=VALID_UNTIL, **kwargs):
    return PsoCertificateFactory(
        kvk_number=supplier.kvk_number, level=level, valid_from=valid_from, valid_until=valid_until, **kwargs
    )


def hand_over(contract, by, day=HANDOVER):
    with on(day):
        contract_hand_over(contract=contract, by=by)
    contract.refresh_from_db()
    return contract


# Handover ------------------------------------------------------------------------------------


def test_handover_gives_the_discount_of_the_checked_certificate_under_the_versions_rule(
    client, rule, concept, supplier, alice, carol
):
    certificate(supplier)
    contract = hand_over(concept, alice)

    assert contract.obligation_discount == Decimal("10.00")
    assert contract.obligation_discount_label == "PSO trede 2"
    assert contract.sroi_obligation == Decimal("22500.00")
    assert contract.obligation_before_discount == Decimal("25000.00")
    assert Contract.objects.with_obligation().get(pk=contract.pk).obligation_amount == Decimal("22500.00")
    assert AuditEvent.objects.filter(action="obligation_discount_changed", object_id=str(contract.uuid)).count() == 1

    client.force_login(alice)
    page = client.get(reverse("monitoring:contract", args=[contract.uuid])).content.decode()
    assert TEXT in page
    assert "Korting op de verplichting gewijzigd" in page  # the timeline
    entry = client.get(reverse("contracts:detail", args=[contract.uuid])).content.decode()
    assert "€ 22.500,00" in entry and "€ 25.000,00 min 10 % korting (PSO trede 2)" in entry
    client.force_login(carol)
    workspace = client.get(reverse("monitoring:workspace", args=[contract.uuid])).content.decode()
    assert TEXT in workspace


def test_the_discount_counts_in_the_progress_figures_and_the_settlement(rule, concept, supplier, alice, carol):
    from monitoring.figures import contract_figures

    certificate(supplier)
    contract = hand_over(concept, alice)

    assert contract_figures(contract).obligation == Decimal("22500.00")
    assert services.shortfall_of(contract) == Decimal("22500.00")


def test_the_buyers_list_exports_and_consolidated_figures_count_the_discounted_obligation(
    client, rule, concept, supplier, alice
):
    import csv
    import io

    from tests.factories import mark_reauthenticated

    certificate(supplier)
    hand_over(concept, alice)
    client.force_login(alice)
    mark_reauthenticated(client, alice)

    listing = client.get(reverse("monitoring:individual")).content.decode()
    assert "22.500,00" in listing and "25.000,00" not in listing

    def rows(name):
        content = client.get(reverse(f"monitoring:export_{name}", args=["csv"])).content.decode("utf-8")
        return list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))

    individual = rows("individual")
    row = dict(zip(individual[0], individual[1], strict=True))
    assert row["SROI-verplichting"] == "22500,00"
    assert row["Korting op de verplichting"] == "Verplichting € 25.000,00, PSO-korting 10 % (trede 2): € 22.500,00"
    consolidated = rows("consolidated")
    assert consolidated[1][0] == "Totaal" and "22500,00" in consolidated[1]


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"checked_at": None}, id="not checked"),
        pytest.param({"level": "pso_30"}, id="no rule for the level"),
        pytest.param({"valid_until": D(2026, 3, 1)}, id="expired the day before"),
        pytest.param({"valid_from": D(2026, 3, 3), "valid_until": D(2027, 3, 3)}, id="valid from the day after"),
    ],
)
def test_handover_gives_no_discount_without_a_valid_checked_certificate_with_a_rule(
    rule, concept, supplier, alice, kwargs
):
    certificate(supplier, **kwargs)
    contract = hand_over(concept, alice)

    assert contract.obligation_discount is None
    assert contract.sroi_obligation == Decimal("25000.00")


def test_a_version_without_a_pso_rule_gives_no_discount(v05, concept, supplier, alice):
    certificate(supplier)
    contract = hand_over(concept, alice)

    assert contract.obligation_discount is None
    assert contract.sroi_obligation == Decimal("25000.00")


def test_a_certificate_of_another_company_gives_no_discount(rule, concept, alice):
    PsoCertificateFactory(kvk_number="87654321", valid_from=D(2025, 1, 1), valid_until=D(2027, 1, 1))
    assert hand_over(concept, alice).obligation_discount is None


# The daily re-check --------------------------------------------------------------------------


def test_the_discount_is_removed_when_the_certificate_expires_during_the_contract(
    rule, concept, supplier, alice, carol, django_capture_on_commit_callbacks
):
    certificate(supplier, valid_until=D(2026, 6, 30))
    contract = hand_over(concept, alice)
    OutboxMessage.objects.all().delete()

    with on(D(2026, 6, 30)):
        assert recheck_pso_discounts() == 0  # still valid on its last day
    with on(D(2026, 7, 1)), django_capture_on_commit_callbacks(execute=True):
        assert recheck_pso_discounts() == 1

    contract.refresh_from_db()
    assert contract.obligation_discount is None
    assert contract.obligation_discount_label == ""
    assert contract.sroi_obligation == Decimal("25000.00")
    event = AuditEvent.objects.filter(action="obligation_discount_changed").latest("created_at")
    assert event.detail["to"] is None and event.detail["reason"] == "certificate_expired"
    recipients = set(OutboxMessage.objects.filter(template__startswith="pso_discount_changed", channel="email").values_list("to_email", flat=True))
    assert recipients == {carol.email, alice.email}
    assert Notification.objects.filter(user=carol).exists() and Notification.objects.filter(user=alice).exists()
    mail_text = OutboxMessage.objects.filter(to_email=alice.email, channel="email").get().context
    assert mail_text["obligation_before"] == "€ 22.500,00" and mail_text["obligation"] == "€ 25.000,00"

    delivered = {message.to[0]: message for message in mail.outbox}
    assert delivered[alice.email].subject == "PSO-korting vervallen: PSO-001 — Onderhoud openbare ruimte"
    assert "Het PSO-certificaat van Groen Techniek B.V., Arnhem (hoofdvestiging" in delivered[alice.email].body
    assert "€ 22.500,00 → € 25.000,00" in delivered[carol.email].body

    with on(D(2026, 7, 2)):
        assert recheck_pso_discounts() == 0  # nothing changes twice
    assert OutboxMessage.objects.filter(template__startswith="pso_discount_changed").count() == 4


def test_the_discount_follows_a_renewed_certificate_with_another_level(rule, concept, supplier, alice, carol):
    certificate(supplier, valid_until=D(2026, 6, 30))
    certificate(supplier, level="step_3", valid_from=D(2026, 7, 1), valid_until=D(2029, 6, 30))
    contract = hand_over(concept, alice)
    assert contract.obligation_discount_label == "PSO trede 2"

    with on(D(2026, 6, 30)):
        assert recheck_pso_discounts() == 0
    with on(D(2026, 7, 1)):
        assert recheck_pso_discounts() == 1

    contract.refresh_from_db()
    assert contract.obligation_discount == Decimal("15.00")
    assert contract.obligation_discount_label == "PSO trede 3"
    assert contract.sroi_obligation == Decimal("21250.00")
    assert OutboxMessage.objects.filter(template__startswith="pso_discount_changed", to_email=carol.email).exists()


def test_a_renewal_with_the_same_level_changes_nothing(rule, concept, supplier, alice):
    certificate(supplier, valid_until=D(2026, 6, 30))
    certificate(supplier, valid_from=D(2026, 7, 1), valid_until=D(2029, 6, 30))
    contract = hand_over(concept, alice)

    with on(D(2026, 7, 1)):
        assert recheck_pso_discounts() == 0
    contract.refresh_from_db()
    assert contract.obligation_discount == Decimal("10.00")
    assert not OutboxMessage.objects.filter(template__startswith="pso_discount_changed").exists()


def test_a_closed_contract_keeps_its_discount(rule, concept, supplier, alice):
    certificate(supplier, valid_until=D(2026, 6, 30))
    contract = hand_over(concept, alice)
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.CLOSED)

    with on(D(2026, 7, 1)):
        assert recheck_pso_discounts() == 0
    contract.refresh_from_db()
    assert contract.obligation_discount == Decimal("10.00")


# The coordinator records a certificate --------------------------------------------------------


def certificates_url(contract):
    return reverse("monitoring:pso_certificates", args=[contract.uuid])


def post_certificate(client, contract, **overrides):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "level": "step_2",
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
        "checked": "on",
        "file": SimpleUploadedFile("pso-certificaat.pdf", PDF, content_type="application/pdf"),
        **overrides,
    }
    return client.post(certificates_url(contract), data)


def test_the_coordinator_records_a_checked_certificate_and_the_contract_gets_the_discount(
    client, rule, concept, supplier, alice, carol, settings
):
    contract = hand_over(concept, alice)
    assert contract.obligation_discount is None
    client.force_login(carol)
    assert "Certificaat vastleggen" in client.get(certificates_url(contract)).content.decode()

    with on(D(2026, 3, 10)):
        response = post_certificate(client, contract)

    assert response.status_code == 302
    stored = PsoCertificate.objects.get()
    assert stored.kvk_number == "12345678"
    assert stored.checked_by == carol and stored.recorded_by == carol
    assert stored.organisation == contract.organisation.served_by
    assert stored.path.read_bytes() == PDF
    contract.refresh_from_db()
    assert contract.sroi_obligation == Decimal("22500.00")
    page = client.get(response.url).content.decode()
    assert TEXT in page and "pso-certificaat.pdf" in page
    download = client.get(reverse("monitoring:pso_certificate", args=[contract.uuid, stored.uuid]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_an_unchecked_certificate_gives_no_discount_until_the_coordinator_checks_it(
    client, rule, concept, supplier, alice, carol
):
    contract = hand_over(concept, alice)
    client.force_login(carol)
    with on(D(2026, 3, 10)):
        post_certificate(client, contract, checked="")
    contract.refresh_from_db()
    assert contract.obligation_discount is None

    stored = PsoCertificate.objects.get()
    client.force_login(carol)  # a new session: the clock went forward
    response = client.post(reverse("monitoring:pso_certificate_check", args=[contract.uuid, stored.uuid]))
    assert response.status_code == 302 and response.url == certificates_url(contract)
    contract.refresh_from_db()
    assert contract.obligation_discount == Decimal("10.00")
    stored.refresh_from_db()
    assert stored.checked_by == carol


def test_a_certificate_expired_before_the_handover_is_refused_by_its_field_and_nothing_is_stored(
    client, rule, concept, supplier, alice, carol, settings
):
    contract = hand_over(concept, alice)
    client.force_login(carol)

    with on(D(2026, 3, 10)):
        response = post_certificate(client, contract, valid_from="2025-03-01", valid_until="2026-02-28")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Het PSO-certificaat was al verlopen op de datum van overdracht (2 maart 2026)." in html
    assert 'id="id_valid_until_error"' in html
    assert 'value="2025-03-01"' in html  # what was typed is kept
    assert not PsoCertificate.objects.exists()
    folder = settings.PRIVATE_MEDIA_ROOT / "pso_certificates"
    assert not folder.exists() or not any(folder.iterdir())
    contract.refresh_from_db()
    assert contract.obligation_discount is None


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"valid_from": "2026-06-01", "valid_until": "2026-05-01"}, "valid_until", "De einddatum van de geldigheid moet na de begindatum liggen."),
        ({"file": ""}, "file", "Voeg het certificaat toe als bewijs."),
        ({"level": ""}, "level", "Dit veld is verplicht."),
    ],
)
def test_bad_certificate_input_gets_a_message_by_the_field(
    client, rule, concept, supplier, alice, carol, overrides, field, message
):
    contract = hand_over(concept, alice)
    client.force_login(carol)
    with on(D(2026, 3, 10)):
        response = post_certificate(client, contract, **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not PsoCertificate.objects.exists()


def test_a_file_that_is_no_pdf_is_refused_by_the_file_field(client, rule, concept, supplier, alice, carol):
    from django.core.files.uploadedfile import SimpleUploadedFile

    contract = hand_over(concept, alice)
    client.force_login(carol)
    with on(D(2026, 3, 10)):
        response = post_certificate(
            client, contract, file=SimpleUploadedFile("certificaat.pdf", b"MZ not a pdf", content_type="application/pdf")
        )
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()
    assert not PsoCertificate.objects.exists()


# Tenancy -------------------------------------------------------------------------------------


def test_only_coordinators_of_the_contracts_service_point_reach_the_certificates(
    client, rule, concept, supplier, alice, bob, dave, frank, carol
):
    contract = hand_over(concept, alice)
    stored = certificate(supplier)
    other = PsoCertificateFactory(kvk_number="87654321")
    pages = [
        certificates_url(contract),
        reverse("monitoring:pso_certificate", args=[contract.uuid, stored.uuid]),
    ]
    for outsider in (bob, dave, frank):
        client.force_login(outsider)
        for page in pages:
            assert client.get(page).status_code == 404, (outsider.email, page)
        assert client.post(reverse("monitoring:pso_certificate_check", args=[contract.uuid, stored.uuid])).status_code == 404
    client.force_login(alice)  # the buyer sees the contract but does not record certificates
    assert client.get(certificates_url(contract)).status_code == 403
    client.force_login(carol)
    assert client.get(reverse("monitoring:pso_certificate", args=[contract.uuid, other.uuid])).status_code == 404
    assert client.get(certificates_url(contract)).status_code == 200


def test_the_discounts_label_is_stored_in_dutch_whatever_the_language_of_the_request(rule, concept, supplier, alice):
    from django.utils import translation

    certificate(supplier, level="step_3")
    with translation.override("en"):
        contract = hand_over(concept, alice)
    assert contract.obligation_discount_label == "PSO trede 3"


def test_administrators_see_the_discount_in_the_contract_admin_but_cannot_type_it(client, rule, concept, supplier, alice):
    from tests.factories import UserFactory

    certificate(supplier)
    contract = hand_over(concept, alice)
    client.force_login(UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:contracts_contract_change", args=[contract.pk])).content.decode()
    assert "PSO trede 2" in page and "10,00" in page
    assert 'name="obligation_discount"' not in page and 'name="obligation_discount_label"' not in page
