"""Rendered monitoring pages are served again per user until a committed change shows in them.

These tests commit (transaction=True): the page version is raised by triggers at commit.
"""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from monitoring import page_cache
from monitoring.models import BuildingBlock, ContractFollowUp, PageVersion
from suppliers import importer
from suppliers.synthetic import Registry
from tests.factories import member
from tests.monitoring_buyer.factories import realisation
from tests.monitoring_buyer.test_list import row_of
from wizzr.models import Membership, Notification, Organisation, Role

pytestmark = [pytest.mark.django_db(transaction=True)]
LIST = reverse("monitoring:individual")
CONSOLIDATED = reverse("monitoring:consolidated")


@pytest.fixture(autouse=True)
def cache_on():
    page_cache.clear()
    with override_settings(MONITORING_PAGE_CACHE_ENTRIES=50):
        yield
    page_cache.clear()


def version() -> int:
    return PageVersion.objects.get(pk=1).version


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response, len(queries)


def without_tokens(html: str) -> str:
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    html = re.sub(r'value="[A-Za-z0-9]{64}"', 'value=""', html)
    return re.sub(r'"X-CSRFToken": "[A-Za-z0-9]{64}"', '"X-CSRFToken": ""', html)


@pytest.mark.parametrize("url", [LIST, f"{LIST}?o=-gerealiseerd&per_page=100", CONSOLIDATED])
def test_a_page_seen_before_is_served_again_without_computing_it(client, alice, portfolio, url):
    client.force_login(alice)
    first, computed = get(client, url)
    again, served = get(client, url)
    # Session, user, memberships and the page version; no contract, supplier or total is read.
    assert served <= 4 < computed
    assert without_tokens(again.content.decode()) == without_tokens(first.content.decode())
    assert again["Vary"] == first["Vary"] and again["Content-Type"] == first["Content-Type"]


def test_the_fragment_for_htmx_and_the_whole_page_are_kept_apart(client, alice, portfolio):
    client.force_login(alice)
    page, _ = get(client, LIST)
    fragment, _ = get(client, LIST, HTTP_HX_REQUEST="true")
    fragment_again, served = get(client, LIST, HTTP_HX_REQUEST="true")
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    assert served <= 4
    assert without_tokens(fragment_again.content.decode()) == without_tokens(fragment.content.decode())


def test_every_response_gets_its_own_nonce_and_a_working_csrf_token(client, alice, portfolio):
    client.force_login(alice)
    nonces = []
    for _ in range(3):
        response, _ = get(client, LIST)
        html = response.content.decode()
        nonce = re.search(r'<script src="[^"]+" nonce="([^"]+)"', html).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert page_cache.NONCE_PLACEHOLDER not in html and page_cache.CSRF_PLACEHOLDER not in html
        nonces.append(nonce)
    assert len(set(nonces)) == 3
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    client_with_checks = client.__class__(enforce_csrf_checks=True)
    client_with_checks.cookies = client.cookies
    organisation = alice.memberships.get().organisation
    form = {"csrfmiddlewaretoken": token, "organisation": str(organisation.uuid), "next": LIST}
    assert client_with_checks.post(reverse("switch_organisation"), form).status_code == 302
    form["csrfmiddlewaretoken"] = "x" * 64  # (a wrong token is refused: the check is on)
    assert client_with_checks.post(reverse("switch_organisation"), form).status_code == 403


def test_an_approved_realisation_shows_at_once(client, alice, portfolio):
    client.force_login(alice)
    before, _ = get(client, LIST)
    assert "4.000,00" in before.content.decode()  # the on-track contract's approved total
    employment = BuildingBlock.objects.get(name="Participatiewet")
    realisation(portfolio.on_track, employment, "1500.00")
    after, computed = get(client, LIST)
    assert computed > 4
    assert "5.500,00" in after.content.decode()


@pytest.mark.parametrize(
    "change", ["contract", "supplier", "coordinator name", "follow-up", "membership", "organisation", "notification"]
)
def test_each_kind_of_change_shows_at_once(client, alice, carol, service_point, portfolio, change):
    client.force_login(alice)
    get(client, LIST)
    get(client, CONSOLIDATED)
    seen = version()
    if change == "contract":
        Contract.objects.filter(pk=portfolio.on_track.pk).update(title="Schoonmaak stadskantoor")
        expected = {LIST: "Schoonmaak stadskantoor"}
    elif change == "supplier":
        portfolio.suppliers["groen"].legal_name = "Groenbedrijf Rijn B.V."
        portfolio.suppliers["groen"].save()
        expected = {LIST: "Groenbedrijf Rijn B.V.", CONSOLIDATED: "Groenbedrijf Rijn B.V."}
    elif change == "coordinator name":
        carol.name = "Carola Visser"
        carol.save()
        expected = {LIST: "Carola Visser"}
    elif change == "follow-up":  # the on-track contract had no coordinator yet
        ContractFollowUp.objects.filter(contract=portfolio.on_track).update(coordinator=carol)
        expected = {LIST: ("INK-B2", "Carol Visser")}
    elif change == "membership":  # a new coordinator of the service point: one more choice in the filter
        member("nieuw@steunpunt-mg.example", service_point, Role.COORDINATOR, name="Nieuwe Coördinator")
        expected = {LIST: "Nieuwe Coördinator"}
    elif change == "organisation":
        Organisation.objects.filter(pk=portfolio.behind.organisation_id).update(name="Gemeente Arnhem-Zuid")
        expected = {LIST: "Gemeente Arnhem-Zuid"}
    else:
        Notification.objects.create(user=alice, organisation=portfolio.behind.organisation, title="Een nieuwe melding")
        expected = {LIST: 'data-testid="notification-badge"', CONSOLIDATED: 'data-testid="notification-badge"'}
    assert version() > seen
    for url, text in expected.items():
        response, computed = get(client, url)
        assert computed > 4, url
        html = response.content.decode()
        if isinstance(text, tuple):
            assert text[1] in row_of(html, text[0]), url
        else:
            assert text in html, url


def test_a_building_block_change_raises_the_version(portfolio):
    seen = version()
    BuildingBlock.objects.filter(name="Participatiewet").update(name="Banen Participatiewet")
    assert version() == seen + 1


def test_pages_are_never_shared_between_users_of_one_organisation(client, alice, erin, portfolio):
    client.force_login(alice)
    get(client, LIST)
    client.force_login(erin)
    response, computed = get(client, LIST)
    assert computed > 4
    assert "Erin Bakker" in response.content.decode() and "Alice de Vries" not in response.content.decode()


def test_another_organisation_chosen_gives_another_page(client, alice, renkum, portfolio):
    Membership.objects.create(user=alice, organisation=renkum, role=Role.ADVISOR)
    client.force_login(alice)
    arnhem_page, _ = get(client, LIST)
    client.post(reverse("switch_organisation"), {"organisation": str(renkum.uuid), "next": LIST})
    client.get(LIST)  # shows (and uses up) the "U werkt nu voor" message; not served from the cache
    renkum_page, computed = get(client, LIST)
    assert computed > 4
    assert "Gemeente Renkum" in renkum_page.content.decode().split("wizzr-header__organisation", 1)[1][:400]


def test_a_pending_message_is_shown_and_never_cached(client, alice, portfolio):
    client.force_login(alice)
    get(client, LIST)
    organisation = alice.memberships.get().organisation
    client.post(reverse("switch_organisation"), {"organisation": str(organisation.uuid), "next": LIST})
    shown, computed = get(client, LIST)
    assert computed > 4
    assert f"U werkt nu voor {organisation.name}." in shown.content.decode()
    after, served = get(client, LIST)
    assert served <= 4
    assert "U werkt nu voor" not in after.content.decode()


def test_tomorrow_the_page_is_computed_again(client, alice, portfolio, monkeypatch):
    client.force_login(alice)
    get(client, LIST)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    _, computed = get(client, LIST)
    assert computed > 4


def test_the_version_rises_once_per_transaction_and_only_at_commit(portfolio):
    seen = version()
    with transaction.atomic():
        for contract in Contract.objects.filter(organisation=portfolio.behind.organisation):
            contract.title = contract.title + " (herzien)"
            contract.save(update_fields=["title"])
        Contract.objects.filter(pk=portfolio.behind.pk).update(contract_value=Decimal("260000.00"))
        with connection.cursor() as cursor:  # not yet: the triggers are deferred to the commit
            cursor.execute("SELECT version FROM monitoring_pageversion WHERE id = 1")
            assert cursor.fetchone()[0] == seen
    assert version() == seen + 1
    Contract.objects.filter(pk=portfolio.behind.pk).update(contract_value=Decimal("270000.00"))
    assert version() == seen + 2


def test_a_bulk_registry_import_raises_the_version_once(tmp_path, monkeypatch, db):
    seen = PageVersion.objects.get_or_create(pk=1)[0].version
    monkeypatch.setattr(importer, "BULK_THRESHOLD", 10)
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8") as handle:
        importer.write_csv(Registry(30, seed=5), handle)
    call_command("import_suppliers", str(path), stdout=StringIO())
    assert version() == seen + 1


def test_without_the_version_row_pages_are_computed_every_time(client, alice, portfolio):
    client.force_login(alice)  # (a login writes the user: its trigger would make the row again)
    PageVersion.objects.all().delete()
    get(client, LIST)
    _, computed = get(client, LIST)
    assert computed > 4


def test_a_change_committed_while_a_page_is_computed_is_in_the_stored_page(client, alice, portfolio, monkeypatch):
    """The middleware read the user's organisation before the version; a rename committed in between
    must not be stored under the new version with the old name."""
    client.force_login(alice)
    real_version = page_cache.page_version

    def version_after_a_concurrent_rename():
        Organisation.objects.filter(pk=portfolio.behind.organisation_id).update(name="Gemeente Arnhem-Noord")
        return real_version()

    monkeypatch.setattr(page_cache, "page_version", version_after_a_concurrent_rename)
    first, _ = get(client, LIST)
    monkeypatch.setattr(page_cache, "page_version", real_version)
    again, served = get(client, LIST)
    assert served <= 4
    for response in (first, again):
        header = response.content.decode().split('class="wizzr-header__org-name">', 1)[1][:60]
        assert header.startswith("Gemeente Arnhem-Noord<"), header
