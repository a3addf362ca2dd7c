"""One seeded world for the security suite, built once per module and rolled back at its end.

The world is the personas of ``tests/conftest.py`` plus a running contract of Arnhem handed over to
Midden-Gelderland, with an attachment, an agreement, a realisation with evidence, a reporting period,
an invited supplier contact and a change request with an attachment. Each test runs in a savepoint
inside the module's transaction, so what a test changes is gone before the next one starts.
Building the world per test would cost seconds each; the matrix has hundreds of cells.
"""

from __future__ import annotations

import copy
import datetime
import re
import secrets
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from knowledgebase.models import HelpRequest, HelpRequestAttachment
from monitoring import services as monitoring_services
from portal import services as portal_services
from portal.models import PeriodRealisation, ReportingPeriod
from tests.catalogue.factories import ship_catalogues
from tests.contracts import samples
from tests.contracts.factories import AttachmentFactory, ContractFactory, SupplierFactory
from tests.factories import AuthorityFactory, ServicePointFactory, UserFactory, member
from tests.knowledgebase.factories import ArticleFactory, HelpRequestFactory
from tests.monitoring.factories import realisation_for
from tests.portal.conftest import TODAY, invite, running_contract
from tests.suppliers.factories import PsoCertificateFactory
from wizzr.invitations import token_hash as _token_hash
from wizzr.models import Invitation, Notification, Role
from wizzr.uploads import validate_upload

UUID_RE = rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def masked(response) -> tuple[int, bytes]:
    """Status and body without the per-response CSRF token and CSP nonce, every UUID read as ``ID``
    (a 404 page echoes its own path, e.g. in the language switch)."""
    body = re.sub(rb'(nonce="|"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1-", response.content)
    return response.status_code, re.sub(UUID_RE, b"ID", body)


def build_world() -> dict:
    """The personas (same names, organisations and roles as ``tests/conftest.py``) and Arnhem's running contract."""
    from catalogue.models import CatalogueVersion, Region
    from contracts.models import ImportBatch

    ship_catalogues()
    w: dict = {}
    service_point = ServicePointFactory(name="Steunpunt SROI Midden-Gelderland", slug="steunpunt-mg")
    other_service_point = ServicePointFactory(name="SROI Servicepunt Utrecht", slug="servicepunt-utrecht")
    arnhem = AuthorityFactory(name="Gemeente Arnhem", slug="arnhem", served_by=service_point)
    renkum = AuthorityFactory(name="Gemeente Renkum", slug="renkum", served_by=service_point)
    utrecht = AuthorityFactory(name="Gemeente Utrecht", slug="utrecht", served_by=other_service_point)
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    Region.objects.get(slug="utrecht").service_points.add(other_service_point)
    v05 = CatalogueVersion.objects.get(catalogue__region__slug="oost-nederland")
    block = v05.blocks.get(name="Werkervaringsplaats / proefplaatsing")
    w.update(service_point=service_point, other_service_point=other_service_point, arnhem=arnhem, renkum=renkum,
             utrecht=utrecht, block=block)
    w["alice"] = alice = member("alice@arnhem.example", arnhem, Role.ADVISOR, name="Alice de Vries")
    w["bob"] = member("bob@renkum.example", renkum, Role.ADVISOR, name="Bob Jansen")
    w["carol"] = carol = member("carol@steunpunt-mg.example", service_point, Role.COORDINATOR, name="Carol Visser")
    w["dave"] = member("dave@utrecht.example", utrecht, Role.ADVISOR, name="Dave Smit")
    w["erin"] = member("erin@arnhem.example", arnhem, Role.ORG_ADMIN, Role.ADVISOR, name="Erin Bakker")
    w["frank"] = member(
        "frank@servicepunt-utrecht.example", other_service_point, Role.COORDINATOR, name="Frank Mulder"
    )
    w["staff"] = UserFactory(email="staff@wizzr.example", name="Stef Beheer", is_staff=True, is_superuser=True)

    contract = ContractFactory(
        organisation=arnhem, contract_number="INK-2026-0042", title="Onderhoud openbare ruimte",
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2027, 12, 31), handed_over=True,
        handed_over_by=alice, supplier_contact_name="Sanne de Bouwer", supplier_contact_email="sanne@testmans.example",
    )
    contract.contact_persons.add(alice)
    monitoring_services.contract_accept(contract=contract, by=carol)
    contract = running_contract(contract, carol, block)
    w["contract"] = contract
    w["agreement"] = contract.agreements.get()
    w["draft"] = ContractFactory(organisation=arnhem, contract_number="CONCEPT-1", supplier=contract.supplier)
    w["attachment"] = AttachmentFactory(contract=contract, uploaded_by=alice)
    w["import_batch"] = ImportBatch.objects.create(
        organisation=arnhem, created_by=w["erin"], file_name="contracten.csv", status=ImportBatch.Status.CHECKED,
        summary={"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 0, "geweigerd": 0, "kiezen": 0},
    )
    w["renkum_contract"] = ContractFactory(organisation=renkum, contract_number="REN-001", handed_over=True)
    w["utrecht_contract"] = ContractFactory(organisation=utrecht, contract_number="UTR-001", handed_over=True)

    # Supplier side: sam invited to this contract; tom of another company; uma of sam's company, not invited here.
    portal_services.periods_open(contract=contract, today=TODAY)
    w["period"] = period = ReportingPeriod.objects.filter(contract=contract).order_by("period_start").last()
    company = portal_services.supplier_organisation_for(contract=contract)
    w["sam"] = sam = member("sam@testmans.example", company, Role.SUPPLIER, name="Sam Bouwer")
    w["access"] = invite(contract, sam)
    other = running_contract(
        ContractFactory(organisation=arnhem, contract_number="INK-2026-0077", handed_over=True,
                        supplier=SupplierFactory(legal_name="Groen Hoveniers B.V.")),
        carol, block,
    )
    w["tom"] = tom = member(
        "tom@groen.example", portal_services.supplier_organisation_for(contract=other), Role.SUPPLIER, name="Tom Groen"
    )
    invite(other, tom)
    same_company = running_contract(
        ContractFactory(organisation=arnhem, contract_number="INK-2026-0099", supplier=contract.supplier,
                        handed_over=True),
        carol, block,
    )
    w["same_company_contract"] = same_company
    w["uma"] = uma = member("uma@testmans.example", company, Role.SUPPLIER, name="Uma Bouwer")
    invite(same_company, uma)

    realisation = realisation_for(
        contract, block=block, by=sam, candidate_reference="AB", period_start=period.period_start,
        period_end=period.period_end, uploads=[validate_upload(samples.upload("bewijs.pdf", samples.PDF))],
    )
    PeriodRealisation.objects.create(organisation=arnhem, period=period, realisation=realisation)
    w["realisation"] = realisation
    w["evidence"] = realisation.evidence.get()
    # A lasting-outcome question of the realisation (the supplier contact answers it in the portal).
    from monitoring.models import LastingOutcome

    w["lasting_outcome"] = LastingOutcome.objects.create(
        organisation=arnhem, contract=contract, realisation=realisation, months_after=6,
        due_on=period.period_end + timedelta(days=183),
    )
    # A PSO certificate of the contract's supplier's company, with its file (coordinators record them).
    w["pso_certificate"] = pso_certificate = PsoCertificateFactory(
        kvk_number=contract.supplier.kvk_number, checked_at=None, size=len(samples.PDF)
    )
    pso_certificate.path.parent.mkdir(parents=True, exist_ok=True)
    pso_certificate.path.write_bytes(samples.PDF)

    w["help_request"] = help_request = HelpRequestFactory(
        organisation=arnhem, asker=alice, kind=HelpRequest.Kind.CHANGE, contract=contract, subject="Geheime wijziging"
    )
    w["help_attachment"] = help_attachment = HelpRequestAttachment.objects.create(
        organisation=arnhem, help_request=help_request, stored_name=uuid.uuid4().hex, display_name="brief.pdf",
        size=len(samples.PDF), content_type="application/pdf", sha256="x",
    )
    help_attachment.path.parent.mkdir(parents=True, exist_ok=True)
    help_attachment.path.write_bytes(samples.PDF)
    w["article"] = ArticleFactory(slug="sroi-uitleg", title_nl="Wat is SROI?")
    w["category"] = w["article"].category
    w["notification"] = Notification.objects.create(
        organisation=arnhem, user=alice, title="Contract overgedragen", url=f"/monitoren/contracten/{contract.uuid}/"
    )
    w["token"] = token = secrets.token_urlsafe(32)
    w["invitation"] = Invitation.objects.create(
        organisation=arnhem, email="nieuw@arnhem.example", name="Nieuwe Collega", role=Role.ADVISOR,
        token_hash=_token_hash(token), invited_by=w["erin"], expires_at=timezone.now() + timedelta(days=7),
    )
    return w


PERSONAS = ("alice", "bob", "dave", "carol", "frank", "erin", "staff", "sam", "tom", "uma")


def signed_in_sessions(w: dict) -> dict[str, str]:
    """A session cookie per persona, made once: logging in for each of hundreds of requests is slow."""
    from django.test import Client

    sessions = {}
    for persona in PERSONAS:
        client = Client()
        client.force_login(w[persona])
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded world, inside a transaction that is rolled back when the module's last test has run.

    Module scope, not package: the transactional tests of this folder (test_races.py) need a connection
    that is not inside this transaction."""
    private = override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private"))
    private.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built["sessions"] = signed_in_sessions(built)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            private.disable()


@pytest.fixture
def w(world, db):
    """The world for one test: its database changes are rolled back with the test's savepoint, and it
    gets its own copies of the objects, so what a test changes in memory is gone as well."""
    return copy.deepcopy(world)
