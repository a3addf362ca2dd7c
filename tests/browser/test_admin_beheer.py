"""WIZZR beheer in Chromium as a staff member: catalogue versions as a workflow, invitations that arrive,
Dutch labels and confirmations, roles instead of raw permissions, and the preview of unsaved article text."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import CatalogueVersion
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.knowledgebase.factories import ArticleFactory
from wizzr.models import Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The tooltip icon that Django admin's JavaScript puts in a two-list picker, which axe flags
# (see test_every_page.DJANGO_ADMIN_WIDGETS).
ADMIN_WIDGETS = {"exclude": [[".help-tooltip.search-label-icon"]]}


@pytest.fixture
def superuser(db):
    return UserFactory(email="beheer@wizzr.example", name="Beheer WIZZR", is_staff=True, is_superuser=True)


def url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


def test_a_new_catalogue_version_is_drafted_edited_previewed_and_published(
    page, live_server, login, check_page, superuser
):
    ship_catalogues()
    current = CatalogueVersion.objects.get(catalogue__region__slug="utrecht", label="Utrecht 2026")
    login(page, superuser)

    page.goto(url(live_server, "admin:catalogue_catalogueversion_change", current.pk))
    expect(page.get_by_text("Deze versie is gepubliceerd")).to_be_visible()
    expect(page.get_by_role("button", name="Opslaan", exact=True)).to_have_count(0)
    check_page(page, ADMIN_WIDGETS)

    page.get_by_role("button", name="Nieuwe versie op basis van deze").click()
    expect(page.get_by_text("Dit is een concept")).to_be_visible()
    draft = CatalogueVersion.objects.get(status="draft")
    assert draft.blocks.count() == current.blocks.count()
    check_page(page, ADMIN_WIDGETS)

    page.get_by_label("Versie:", exact=True).fill("V2 januari 2027")
    page.locator("input[name=blocks-0-value]").fill("12345")
    page.get_by_role("button", name="Opslaan en opnieuw bewerken").click()
    expect(page.locator("input[name=blocks-0-value]")).to_have_value(re.compile(r"^12345"))

    page.get_by_role("link", name="Voorbeeld en publiceren").click()
    expect(page.get_by_text(re.compile(r"Geldt voor nieuwe contracten vanaf .*; 0 bestaande contracten veranderen"))).to_be_visible()
    check_page(page)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Geldig vanaf").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Publiceren").click()

    expect(page.locator(".messagelist").get_by_text("is gepubliceerd en geldt vanaf")).to_be_visible()
    expect(page.get_by_text("Deze versie is gepubliceerd")).to_be_visible()
    expect(page.locator("input[name=blocks-0-value]")).to_have_count(0)  # frozen
    draft.refresh_from_db()
    assert (draft.status, draft.valid_from, draft.label) == ("published", tomorrow, "V2 januari 2027")
    check_page(page, ADMIN_WIDGETS)


def test_an_invitation_made_in_the_admin_arrives_by_mail_and_can_be_sent_again(
    page, live_server, login, check_page, superuser, arnhem
):
    login(page, superuser)
    page.goto(url(live_server, "admin:wizzr_invitation_add"))
    check_page(page)
    page.get_by_label("Organisatie").select_option(label="Gemeente Arnhem")
    page.get_by_label("E-mailadres").fill("henk@arnhem.example")
    page.get_by_label("Naam").fill("Henk de Boer")
    page.get_by_label("Rol").select_option("advisor")
    page.get_by_role("button", name="Opslaan", exact=True).click()

    expect(page.get_by_text("De uitnodiging is verstuurd naar henk@arnhem.example.")).to_be_visible()
    assert [m.to for m in mail.outbox] == [["henk@arnhem.example"]]
    invitation = Invitation.objects.get()
    assert invitation.invited_by == superuser

    page.goto(url(live_server, "admin:wizzr_invitation_change", invitation.pk))
    check_page(page)
    page.get_by_role("button", name="Opnieuw versturen").click()
    expect(page.get_by_text("de vorige link werkt niet meer")).to_be_visible()
    assert len(mail.outbox) == 2
    first, second = (re.search(r"/uitnodiging/[^/\s]+/", m.body).group(0) for m in mail.outbox)
    assert first != second


def test_the_admin_index_and_a_delete_confirmation_are_dutch(page, live_server, login, check_page, superuser, arnhem):
    contract = ContractFactory(organisation=arnhem, contract_number="INK-9", title="Groenonderhoud")
    login(page, superuser)

    page.goto(url(live_server, "admin:index"))
    expect(page).to_have_title("Overzicht | WIZZR beheer")
    for section in ["Accounts en organisaties", "Inkoopcontracten", "Leveranciersregister", "Monitoring", "Kennisbank"]:
        expect(page.locator("#content-main caption").get_by_role("link", name=section, exact=True)).to_be_visible()
    expect(page.get_by_text("Authenticators")).to_have_count(0)
    check_page(page)

    page.goto(url(live_server, "admin:contracts_contract_delete", contract.pk))
    expect(page.get_by_text(re.compile("Weet u zeker dat u inkoopcontract"))).to_be_visible()
    check_page(page)


def test_a_staff_member_sees_the_roles_of_a_person_without_raw_permissions(
    page, live_server, login, check_page, alice
):
    helpdesk = UserFactory(email="helpdesk@wizzr.example", name="Helpdesk", is_staff=True)
    helpdesk.user_permissions.set(
        Permission.objects.filter(content_type__app_label="wizzr", content_type__model__in=["user", "membership"])
    )
    login(page, helpdesk)

    page.goto(url(live_server, "admin:wizzr_user_change", alice.pk))
    expect(page.locator("select[name=memberships-0-role]")).to_have_value("advisor")
    expect(page.get_by_text("Can add log entry")).to_have_count(0)
    expect(page.locator("[name=user_permissions]")).to_have_count(0)
    check_page(page, ADMIN_WIDGETS)


def test_the_article_preview_shows_the_unsaved_text(page, live_server, login, check_page, superuser):
    article = ArticleFactory(body_nl="De oude tekst.")
    login(page, superuser)

    page.goto(url(live_server, "admin:knowledgebase_article_change", article.pk))
    preview = page.locator("#kb-preview-nl")
    expect(preview).to_contain_text("De oude tekst.")
    page.locator("textarea[name=body_nl]").fill("## Nieuw kopje\n\nNog *niet* opgeslagen.")
    page.locator("#kb-preview-nl").locator("xpath=..").get_by_role("button", name="Voorbeeld").click()

    expect(preview.get_by_role("heading", name="Nieuw kopje")).to_be_visible()
    expect(preview).to_contain_text("nog niet opgeslagen")
    article.refresh_from_db()
    assert article.body_nl == "De oude tekst."
    check_page(page, ADMIN_WIDGETS)


def test_the_audit_log_cannot_be_deleted_or_changed_from_the_admin(page, live_server, login, check_page, superuser, arnhem):
    from wizzr.audit import audit_record
    from wizzr.models import AuditEvent

    audit_record(action="contract_created", actor=superuser, organisation=arnhem, detail={"note": "bewijs"})
    event = AuditEvent.objects.get(action="contract_created")
    login(page, superuser)

    page.goto(url(live_server, "admin:wizzr_auditevent_changelist"))
    expect(page.get_by_role("link", name=re.compile("contract_created|Inkoopcontract", re.IGNORECASE)).first).to_be_visible()
    expect(page.get_by_role("combobox", name=re.compile("Actie"))).to_have_count(0)  # no bulk delete
    check_page(page, ADMIN_WIDGETS)

    page.goto(url(live_server, "admin:wizzr_auditevent_change", event.pk))
    expect(page.get_by_role("link", name=re.compile("Verwijderen"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Opslaan"))).to_have_count(0)
    check_page(page, ADMIN_WIDGETS)

    # Even the delete page asked for directly is refused, and the event is still there.
    response = page.goto(url(live_server, "admin:wizzr_auditevent_delete", event.pk))
    assert response.status == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
