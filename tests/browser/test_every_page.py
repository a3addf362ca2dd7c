"""Every page state of the product in Chromium, per role, checked for CSP, axe (WCAG 2.1 AA) and HTML_CodeSniffer
(WCAG2AA) violations, and at 320, 768 and 1366 px wide for controls that a fixed or sticky element covers.

The world is the seeded one of the security suite (``tests/security/conftest.build_world``): a running
contract of Arnhem with agreement, realisation, evidence, reporting period, supplier contacts, a change
request with attachment, an article, a notification and an open invitation; plus a draft contract.

Each role gets one browser context. A step opens a page (or brings it into a state: a form with its
errors, a dialog, a list or a panel opened) and checks it; problems are collected and reported together.
Every HTML response the browser gets is resolved against the URLconf, and a completeness test asserts that
every GET route that renders HTML was visited — so a new page without a visit here fails the suite.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Permission
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import expect

from tests.browser.conftest import _CSP_LISTENER, covered_elements, htmlcs_errors
from tests.factories import PASSWORD, UserFactory
from tests.security.conftest import build_world
from tests.security.routes import ROUTES
from wizzr.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")
# Every state is checked in full (CSP, axe, HTML_CodeSniffer) at the widest width, the width the tour runs
# at; at each width the state is also searched for controls that a fixed or sticky element covers, and at
# the narrower ones HTML_CodeSniffer runs again (what shows and hides with the width can change its verdict).
WIDTHS = (320, 768, 1366)
# The innermost elements that reach past the window's right edge and are not inside a scrolling box.
STICKING_OUT = """() => {
  const limit = document.documentElement.clientWidth + 0.5;
  const clipped = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o !== "visible") return true; } return false; };
  const out = [...document.body.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > limit && !clipped(el));
  return out.filter((el) => !out.some((other) => other !== el && el.contains(other))).slice(0, 3)
    .map((el) => el.outerHTML.slice(0, 160));
}"""
HEIGHT = 900

# GET routes that answer with something else than an HTML page, each with the reason.
NOT_HTML = {
    "healthz": "JSON for the load balancer",
    "admin_login": "only redirects to the account login page",
    "contracts:attachment_download": "a download (attachment)",
    "monitoring:evidence": "a download (attachment)",
    "monitoring:pso_certificate": "a download (attachment)",
    "monitoring:export_individual": "a CSV/XLSX export",
    "monitoring:export_consolidated": "a CSV/XLSX export",
    "monitoring:export_realisations": "a CSV/XLSX export",
    "monitoring:annual_report_pdf": "a PDF download (attachment)",
    "knowledgebase:help_request_attachment": "a download (attachment)",
    "portal:evidence": "a download (attachment)",
    "contracts:import_template": "a CSV/XLSX download (the contract import template)",
    "contracts:import_progress": "an htmx fragment polled by the import page while a large file is checked or "
                                 "applied; the page around it is visited",
    "api:openapi": "JSON: the OpenAPI document of the API",
    "api:contracts": "JSON API for BI tools (bearer key, no session)",
    "api:contract": "JSON API for BI tools (bearer key, no session)",
    "api:agreements": "JSON API for BI tools (bearer key, no session)",
    "api:realised": "JSON API for BI tools (bearer key, no session)",
    "api:annual_figures": "JSON API for BI tools (bearer key, no session)",
    "portal:social_company_search": "an htmx fragment: the registry typeahead's options in the supplier's invoice "
                                    "form; tests/browser/test_social_purchasing.py types in it and picks one",
    "contracts:contact_persons": "an htmx fragment of the contract form, fetched only when a user of several "
                                 "organisations switches the client; the form around it is visited",
    "knowledgebase:contract_options": "an htmx fragment: the contract picker's options in the help-request form; "
                                      "tests/browser/test_knowledgebase.py types in it and picks one",
}

# allauth's pages that WIZZR uses; the others are closed (sign-up), reached only by e-mail links that need
# a fresh token (covered as far as the page with the form goes), or answer without HTML.
ACCOUNT_PAGES = {
    "account_login", "account_logout", "account_change_password", "account_email", "account_reauthenticate",
    "account_reset_password", "account_reset_password_done", "account_signup", "account_reset_password_from_key",
    "mfa_index", "mfa_activate_totp", "mfa_reauthenticate", "mfa_view_recovery_codes", "mfa_generate_recovery_codes",
    "mfa_deactivate_totp", "mfa_authenticate", "account_confirm_email", "account_email_verification_sent",
    "account_inactive", "account_reset_password_from_key_done",
}
ACCOUNT_NOT_VISITED = {
    "account_confirm_login_code": "login by e-mailed code is switched off",
    "account_set_password": "every account has a password: redirects to the password change page",
    "mfa_download_recovery_codes": "a text file download",
}


@dataclass
class Tour:
    """One role's walk through the product: the page, the live server and what went wrong so far."""

    page: object
    base: str
    check: Callable
    w: dict
    who: str
    problems: list
    visited: set
    htmlcs_script: str = ""

    def url(self, name: str, **kwargs) -> str:
        return self.base + reverse(name, kwargs=kwargs or None)

    def goto(self, name_or_path: str, **kwargs) -> None:
        target = self.base + name_or_path if name_or_path.startswith("/") else self.url(name_or_path, **kwargs)
        self.page.goto(target)

    def state(self, label: str, context=None) -> None:
        """Check the page as it is now; collect the failure instead of stopping the tour."""
        if SHOTS:
            safe = re.sub(r"[^a-z0-9]+", "-", f"{self.who}-{label}".lower())
            self.page.screenshot(path=os.path.join(SHOTS, f"every-page-{safe}.png"), full_page=True, caret="initial")
        try:
            self.check(self.page, context)
        except AssertionError as error:
            self.problems.append(f"[{self.who}] {label}: {error}")
        self.at_every_width(label, context)
        # A violation seen once must not be reported again on every later state of the same document.
        self.page.evaluate("window.__cspViolations = []")

    def at_every_width(self, label: str, context=None) -> None:
        exclude = [", ".join(sel) for sel in context.get("exclude", [])] if isinstance(context, dict) else []
        seen = {(e["code"], e["element"]) for e in htmlcs_errors(self.page, self.htmlcs_script, exclude)}
        for width in WIDTHS:  # the widest last: the tour goes on at that width
            self.page.set_viewport_size({"width": width, "height": HEIGHT})
            if width != WIDTHS[-1]:  # the widest was checked in full; report only what a narrower one adds
                for e in htmlcs_errors(self.page, self.htmlcs_script, exclude):
                    if (e["code"], e["element"]) in seen:
                        continue
                    seen.add((e["code"], e["element"]))
                    self.problems.append(f"[{self.who}] {label} at {width} px: HTML_CodeSniffer {e['code']} on "
                                         f"{self.page.url}: {e['message']}\n  {e['element']}")
            for covered in covered_elements(self.page):
                self.problems.append(f"[{self.who}] {label} at {width} px on {self.page.url}: {covered}")
            # Reflow (WCAG 1.4.10 at 320 px, and at every width for the product's own pages; Django's admin keeps
            # its wide change forms there): the page never scrolls sideways; a wide table scrolls in its own box.
            overflow = self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if (width == 320 or "/admin/" not in self.page.url) and overflow > 0:
                self.problems.append(f"[{self.who}] {label} at {width} px on {self.page.url}: the page is {overflow} px "
                                     f"wider than the window; sticking out: {self.page.evaluate(STICKING_OUT)}")

    def visit(self, name: str, label: str | None = None, query: str = "", context=None, **kwargs) -> None:
        self.page.goto(self.url(name, **kwargs) + query)
        self.state(label or name, context)

    def submit_empty(self, label: str, button) -> None:
        """Send the form as it is (empty or half filled) to see its error messages."""
        self.page.get_by_role("button", name=button).first.click()
        self.page.wait_for_load_state("networkidle")
        expect(self.page.locator(".utrecht-form-field-error-message, .wizzr-form-errors").first).to_be_visible()
        self.state(label)


def rendered_route(response) -> str | None:
    """The route of a response that rendered HTML: a page or fragment (200) or a form with errors (400).
    Redirects and 404s do not count as a visit of the route they were asked for."""
    if response.status not in (200, 400) or "text/html" not in (response.headers.get("content-type") or ""):
        return None
    try:
        return resolve(urlsplit(response.url).path).view_name
    except Resolver404:
        return None


@pytest.fixture
def tour(browser, live_server, check_page, axe, htmlcs_script, settings, tmp_path):
    """Start a tour for a persona; at the end, every collected problem fails the test in one report."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    w = build_world()
    w["erin_totp"] = secret = generate_totp_secret()
    TOTP.activate(w["erin"], secret)
    RecoveryCodes.activate(w["erin"])
    # Staff who may look at everything in the admin and change nothing.
    w["beheer"] = UserFactory(email="beheer@wizzr.example", name="Bea Beheer", is_staff=True)
    w["beheer"].user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    problems: list[str] = []
    visited: set[str] = set()
    contexts = []

    def start(who: str | None) -> Tour:
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam",
                                      viewport={"width": WIDTHS[-1], "height": HEIGHT})
        contexts.append(context)
        context.add_init_script(_CSP_LISTENER)
        context.add_init_script(axe.axe_script)  # loaded with each page instead of sent for each check
        context.add_init_script(htmlcs_script)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("response", lambda response: visited.add(rendered_route(response)))
        t = Tour(page=page, base=live_server.url, check=check_page, w=w, who=who or "anonymous", problems=problems,
                 visited=visited, htmlcs_script=htmlcs_script)
        if who:
            from django.core.cache import cache

            cache.clear()  # login rate limits
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("E-mail").first.fill(w[who].email)
            page.get_by_label("Wachtwoord").first.fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.wait_for_url(f"{live_server.url}/**")
        return t

    start.w = w
    start.problems = problems
    start.visited = visited
    yield start
    for context in contexts:
        context.close()


def reauthenticate(t: Tour) -> None:
    """Confirm the password on the reauthentication page the browser was sent to."""
    t.page.get_by_label("Wachtwoord").fill(PASSWORD)
    t.page.get_by_role("button", name="Bevestigen").click()
    t.page.wait_for_load_state("networkidle")


# --- The tours -----------------------------------------------------------------------------------


def anonymous_tour(t: Tour) -> None:
    t.visit("account_login", "login page")
    t.page.get_by_label("E-mail").first.fill("iemand@example.org")
    t.page.get_by_label("Wachtwoord").first.fill("niet-goed")
    t.page.get_by_role("button", name="Inloggen").click()
    expect(t.page.get_by_text("Het e-mailadres of het wachtwoord klopt niet.")).to_be_visible()
    t.state("login page with error")
    t.visit("account_reset_password", "password reset")
    t.page.get_by_label("E-mail").first.fill("iemand@example.org")
    t.page.locator("#main .utrecht-button--primary-action").first.click()
    t.page.wait_for_load_state("networkidle")
    t.state("password reset sent")
    t.visit("account_reset_password_done", "password reset done")
    t.visit("account_reset_password_from_key", "password reset with a bad key", uidb36="x", key="bad-key")
    t.visit("account_signup", "sign-up closed")
    t.visit("account_confirm_email", "e-mail confirmation with a bad key", key="bad-key")
    t.visit("account_email_verification_sent", "e-mail verification sent")
    t.visit("account_inactive", "account inactive")
    t.visit("account_reset_password_from_key_done", "password reset complete")
    t.visit("accessibility", "accessibility statement")
    t.visit("invitation_accept", "invitation: choose a password", token=t.w["token"])
    t.page.locator("#main .utrecht-button--primary-action").first.click()
    t.page.wait_for_load_state("networkidle")
    t.state("invitation with errors")
    t.visit("invitation_accept", "invitation no longer valid", token="verlopen-of-onbekend")
    t.goto("/bestaat-niet/")
    t.state("404 page (anonymous)")


def advisor_tour(t: Tour) -> None:
    w = t.w
    t.visit("start", "start screen")
    # Contract entry: the form, its errors, the typeahead list open, the add-supplier dialog open.
    t.visit("contracts:create", "contract form")
    t.submit_empty("contract form with errors", "Opslaan en verder naar Bijlagen")
    box = t.page.get_by_role("combobox", name="Uitvoerende partij")
    box.fill("")
    box.type("Groen", delay=20)
    t.page.locator("[data-supplier-listbox] [role=option]").first.wait_for()
    t.state("supplier typeahead open")
    t.page.keyboard.press("Escape")
    t.page.locator("[data-supplier-add]").first.click()
    t.page.locator("dialog[open]").wait_for()
    t.state("add-supplier dialog open")
    t.page.locator("dialog[open]").get_by_role("button", name="Opdrachtnemer toevoegen").click()
    t.page.wait_for_load_state("networkidle")
    t.state("add-supplier dialog with errors")
    t.page.keyboard.press("Escape")
    # The draft: detail, edit, attachments, delete confirmation, hand-over.
    draft = w["draft"].uuid
    t.visit("contracts:detail", "draft contract", uuid=draft)
    t.visit("contracts:edit", "draft contract edit", uuid=draft)
    t.page.get_by_label("Titel").fill("")
    t.submit_empty("draft contract edit with errors", "Opslaan en verder naar Bijlagen")
    t.visit("contracts:attachments", "attachments", uuid=draft)
    t.page.get_by_role("button", name=re.compile("Bijlagen toevoegen")).first.click()
    t.page.wait_for_load_state("networkidle")
    t.state("attachments without a file")
    t.visit("contracts:delete", "delete confirmation", uuid=draft)
    t.visit("contracts:detail", "handed-over contract", uuid=w["contract"].uuid)
    t.visit("contracts:handed_over", "hand-over done", uuid=w["contract"].uuid)
    # Buyer monitoring.
    t.visit("monitoring:individual", "monitoring individual")
    picker = t.page.get_by_role("combobox", name="Uitvoerende partij")
    picker.type("Groen", delay=20)
    t.page.locator("[role=listbox] [role=option]").first.wait_for()
    t.state("monitoring supplier filter list open")
    t.page.keyboard.press("Escape")
    t.page.get_by_role("button", name=re.compile("^Acties voor")).first.click()
    t.state("monitoring row menu open")
    t.visit("monitoring:individual", "monitoring individual filtered", query="?q=onderhoud&status=running")
    t.visit("monitoring:individual", "monitoring individual without results", query="?q=bestaatniet")
    t.visit("monitoring:consolidated", "monitoring consolidated")
    t.visit("monitoring:annual_report", "annual report", query="?jaar=2026")
    t.visit("monitoring:annual_report", "annual report of a year without contracts", query="?jaar=2019")
    t.visit("monitoring:annual_report", "annual report with a refused year", query="?jaar=abc")
    t.visit("monitoring:benchmarks", "comparison with other buyers")
    t.visit("monitoring:contract", "monitoring contract page", uuid=w["contract"].uuid)
    for summary in t.page.locator("main summary").all():
        summary.click()
    t.state("monitoring contract page, panels unfolded")
    t.visit("monitoring:workspace", "contract follow-up (read-only)", uuid=w["contract"].uuid)
    t.visit("monitoring:realisation", "realisation", uuid=w["contract"].uuid, realisation_uuid=w["realisation"].uuid)
    t.page.goto(t.url("monitoring:export_individual", fmt="csv"))
    t.state("reauthentication before an export")
    # Knowledge base and help requests.
    t.visit("knowledgebase:index", "knowledge base")
    t.visit("knowledgebase:index", "knowledge base search results", query="?q=sroi")
    t.visit("knowledgebase:index", "knowledge base search without results", query="?q=xyzzyx")
    t.visit("knowledgebase:category", "knowledge base category", slug=w["category"].slug)
    t.visit("knowledgebase:article", "article", slug=w["article"].slug)
    t.page.get_by_role("button", name="Versturen").click()
    t.page.wait_for_load_state("networkidle")
    t.state("article feedback without an answer")
    t.visit("knowledgebase:help_request_list", "my help requests")
    t.visit("knowledgebase:help_request_create", "help request form")
    t.submit_empty("help request form with errors", "Hulpvraag versturen")
    t.visit("knowledgebase:change_request_create", "change request form", contract_uuid=w["contract"].uuid)
    t.submit_empty("change request form with errors", "Wijziging doorgeven")
    t.visit("knowledgebase:help_request_detail", "help request thread", uuid=w["help_request"].uuid)
    t.submit_empty("help request reply with errors", "Reactie plaatsen")
    t.visit("notifications", "notifications")
    account_pages(t)
    t.goto(f"/contracten/{'0' * 8}-0000-0000-0000-{'0' * 12}/")
    t.state("404 page (signed in)")


def account_pages(t: Tour) -> None:
    t.visit("account_change_password", "password change")
    t.page.locator("#main .utrecht-button--primary-action").first.click()
    t.page.wait_for_load_state("networkidle")
    t.state("password change with errors")
    t.visit("account_email", "e-mail addresses")
    t.visit("mfa_index", "two-step verification")
    t.page.goto(t.url("mfa_activate_totp"))
    t.state("reauthentication")
    t.page.get_by_role("button", name="Bevestigen").click()
    t.page.wait_for_load_state("networkidle")
    t.state("reauthentication with an error")
    reauthenticate(t)
    t.state("TOTP set-up")
    t.page.get_by_label(re.compile("Code|Authenticator")).first.fill("000000")
    t.page.locator("#main .utrecht-button--primary-action").first.click()
    t.page.wait_for_load_state("networkidle")
    t.state("TOTP set-up with a wrong code")
    t.visit("account_logout", "logout confirmation")


def coordinator_tour(t: Tour) -> None:
    w = t.w
    c = w["contract"].uuid
    t.visit("start", "start screen")
    t.visit("monitoring:work_queue", "work queue")
    t.visit("monitoring:work_queue", "work queue filtered", query=f"?organisation={w['arnhem'].uuid}")
    t.visit("monitoring:workspace", "contract follow-up", uuid=c)
    t.visit("contracts:detail", "contract as coordinator", uuid=c)
    t.visit("monitoring:agreement_create", "agreement form", uuid=c)
    t.submit_empty("agreement form with errors", "Afspraak opslaan")
    t.visit("monitoring:agreement_update", "agreement edit", uuid=c, agreement_uuid=w["agreement"].uuid)
    t.visit("monitoring:realisation_create", "realisation form", uuid=c)
    t.submit_empty("realisation form with errors", re.compile("^Realisatie"))
    t.visit("monitoring:realisation", "realisation to assess", uuid=c, realisation_uuid=w["realisation"].uuid)
    t.submit_empty("rejection without a reason", "Afwijzen")
    t.visit("monitoring:realisation_update", "realisation edit", uuid=c, realisation_uuid=w["realisation"].uuid)
    t.visit("monitoring:lasting_outcomes", "lasting outcomes of the contract", uuid=c)
    t.visit("monitoring:lasting_outcome_record", "recording a lasting outcome, refused in words (not assessed)",
            uuid=c, realisation_uuid=w["realisation"].uuid, months=6)
    t.visit("monitoring:pso_certificates", "PSO certificates of the supplier", uuid=c)
    t.submit_empty("PSO certificate form with errors", "Certificaat vastleggen")
    t.visit("monitoring:close", "closing the contract", uuid=c)
    t.visit("portal:invite", "invite a supplier contact", uuid=c)
    t.page.get_by_label("E-mailadres").fill("geen-adres")  # the contact of the contract is filled in already
    t.submit_empty("invite with errors", "Uitnodiging versturen")
    t.visit("portal:settlement", "final result", uuid=c)
    t.visit("portal:overdue", "overdue reports")
    t.visit("monitoring:contract", "monitoring contract page (coordinator)", uuid=c)
    t.visit("knowledgebase:help_request_queue", "help request queue")
    t.visit("knowledgebase:help_request_detail", "help request thread (coordinator)", uuid=w["help_request"].uuid)
    t.visit("knowledgebase:change_request_apply", "applying a change request", uuid=w["help_request"].uuid)


def org_admin_tour(t: Tour) -> None:
    """Erin has an authenticator app: her login asks for a code, and the MFA pages show its management."""
    w = t.w
    t.page.locator("input[name=code]").wait_for()
    t.state("login: the code from the authenticator app")
    t.page.locator("input[name=code]").fill(format_hotp_value(hotp_value(w["erin_totp"], int(time.time()) // 30)))
    t.page.locator("#main .utrecht-button--primary-action").first.click()
    t.page.wait_for_url(t.url("start"))
    t.state("start screen (org admin)")
    t.visit("members", "members")
    t.page.get_by_role("button", name="Uitnodiging versturen").click()
    t.page.wait_for_load_state("networkidle")
    t.state("reauthentication before a role change")
    reauthenticate(t)
    t.state("members: invitation with errors")
    t.visit("member_remove", "removing a member", uuid=w["alice"].uuid)
    t.visit("audit_log", "audit log")
    t.visit("audit_log", "audit log page 2", query="?page=2")
    t.visit("contracts:import_start", "contract import")
    t.visit("contracts:import_batch", "contract import dry run", uuid=w["import_batch"].uuid)
    t.visit("api:keys", "API keys")
    t.submit_empty("API key form with errors", "Sleutel maken")
    t.page.locator("input[name=name]").fill("Power BI")
    t.page.get_by_role("button", name="Sleutel maken").click()
    t.page.wait_for_load_state("networkidle")
    expect(t.page.get_by_test_id("secret")).to_be_visible()
    t.state("API key created, shown once")
    t.visit("mfa_index", "two-step verification with an app")
    t.visit("mfa_view_recovery_codes", "recovery codes")
    t.visit("mfa_generate_recovery_codes", "new recovery codes")
    t.visit("mfa_deactivate_totp", "switching the app off")
    t.visit("mfa_reauthenticate", "reauthentication with a code")


def supplier_tour(t: Tour) -> None:
    w = t.w
    c = w["contract"].uuid
    t.visit("portal:home", "supplier portal")
    t.visit("portal:todo", "supplier to-do list")
    t.visit("portal:contract", "supplier contract", uuid=c)
    t.visit("portal:period", "reporting period", uuid=c, period_uuid=w["period"].uuid)
    t.visit("portal:realisation_create", "supplier realisation form", uuid=c, period_uuid=w["period"].uuid)
    t.submit_empty("supplier realisation form with errors", re.compile("^Realisatie"))
    t.visit("portal:realisation", "supplier realisation", uuid=c, realisation_uuid=w["realisation"].uuid)
    t.visit("portal:realisation_update", "supplier realisation edit", uuid=c, realisation_uuid=w["realisation"].uuid)
    t.visit("portal:lasting_outcome", "lasting outcome question", uuid=c, outcome_uuid=w["lasting_outcome"].uuid)
    t.submit_empty("lasting outcome question with errors", "Antwoord versturen")
    t.visit("notifications", "notifications (supplier)")


# A known axe finding in a widget of Django's own admin JavaScript (SelectFilter2.js, not a template): the
# filter box of a two-list picker (contact persons, related articles, permissions) has a tooltip icon that is a
# bare <span> with an aria-label. Everything else on those pages is checked.
DJANGO_ADMIN_WIDGETS = [[".help-tooltip.search-label-icon"]]
ADMIN_PICKER = {"exclude": DJANGO_ADMIN_WIDGETS}


def staff_tour(t: Tour) -> None:
    """A superuser through WIZZR beheer: each main model's change list and change form."""
    w = t.w
    t.visit("start", "start screen (staff)")
    t.visit("admin:index", "admin index")
    t.visit("admin:contracts_contract_changelist", "admin contracts")
    t.visit("admin:contracts_contract_change", "admin contract", object_id=w["contract"].pk, context=ADMIN_PICKER)
    t.visit("admin:contracts_contract_change", "admin draft contract", object_id=w["draft"].pk, context=ADMIN_PICKER)
    t.visit("admin:suppliers_supplier_changelist", "admin suppliers")
    # Merging duplicates: the admin action's own confirmation page.
    t.page.locator("input[name=_selected_action]").nth(0).check()
    t.page.locator("input[name=_selected_action]").nth(1).check()
    t.page.locator("select[name=action]").select_option("merge_suppliers")
    t.page.locator("button[name=index]").click()
    t.page.wait_for_load_state("networkidle")
    t.state("admin supplier merge")
    t.visit("admin:suppliers_supplier_change", "admin supplier", object_id=w["contract"].supplier.pk)
    # Catalogue versions: a published one is view-only; a new version based on it is a draft with editable blocks.
    t.visit("admin:catalogue_catalogueversion_changelist", "admin catalogue versions")
    t.visit("admin:catalogue_catalogueversion_change", "admin published catalogue version",
            object_id=w["block"].version.pk)
    t.page.get_by_role("button", name="Nieuwe versie op basis van deze").click()
    t.page.wait_for_load_state("networkidle")
    t.state("admin draft catalogue version")
    t.page.get_by_role("link", name="Voorbeeld en publiceren").click()
    t.page.wait_for_load_state("networkidle")
    t.state("admin catalogue version preview")
    t.visit("admin:knowledgebase_article_changelist", "admin articles")
    t.visit("admin:knowledgebase_article_change", "admin article", object_id=w["article"].pk, context=ADMIN_PICKER)
    t.page.locator("textarea[name=body_nl]").fill("## Nieuw kopje\n\nNog *niet* opgeslagen.")
    t.page.locator("#kb-preview-nl").locator("xpath=..").get_by_role("button", name="Voorbeeld").click()
    t.page.locator("#kb-preview-nl").get_by_role("heading", name="Nieuw kopje").wait_for()
    t.state("admin article preview", ADMIN_PICKER)
    t.visit("admin:wizzr_user_changelist", "admin users")
    t.visit("admin:wizzr_user_change", "admin user with memberships", object_id=w["alice"].pk, context=ADMIN_PICKER)
    t.visit("admin:wizzr_organisation_changelist", "admin organisations")
    t.visit("admin:wizzr_organisation_change", "admin organisation with members", object_id=w["arnhem"].pk)
    t.visit("admin:wizzr_invitation_changelist", "admin invitations")
    t.visit("admin:wizzr_invitation_change", "admin invitation", object_id=w["invitation"].pk)
    t.visit("admin:wizzr_invitation_add", "admin new invitation")
    t.visit("admin:wizzr_auditevent_changelist", "admin audit events")
    t.visit("admin:wizzr_auditevent_change", "admin audit event", object_id=AuditEvent.objects.first().pk)


def beheer_tour(t: Tour) -> None:
    """A staff member who may only look: change lists without actions and change forms without a save button
    (shown without a form around them)."""
    w = t.w
    t.visit("admin:index", "admin index (view only)")
    t.visit("admin:contracts_contract_changelist", "admin contracts (view only)")
    t.visit("admin:contracts_contract_change", "admin contract (view only)", object_id=w["contract"].pk)
    expect(t.page.locator("#content-main form")).to_have_count(0)
    expect(t.page.get_by_text("INK-2026-0042")).not_to_have_count(0)
    t.visit("admin:suppliers_supplier_change", "admin supplier (view only)", object_id=w["contract"].supplier.pk)
    t.visit("admin:catalogue_catalogueversion_change", "admin catalogue version (view only)",
            object_id=w["block"].version.pk)
    t.visit("admin:knowledgebase_article_change", "admin article (view only)", object_id=w["article"].pk)
    t.visit("admin:wizzr_user_change", "admin user (view only)", object_id=w["alice"].pk)
    t.visit("admin:wizzr_organisation_change", "admin organisation (view only)", object_id=w["arnhem"].pk)
    t.visit("admin:wizzr_invitation_changelist", "admin invitations (view only)")
    t.visit("admin:wizzr_auditevent_change", "admin audit event (view only)", object_id=AuditEvent.objects.first().pk)


TOURS = {
    None: anonymous_tour,
    "alice": advisor_tour,
    "carol": coordinator_tour,
    "erin": org_admin_tour,
    "sam": supplier_tour,
    "staff": staff_tour,
    "beheer": beheer_tour,
}


def html_get_routes() -> set[str]:
    ours = {name for name, spec in ROUTES.items() if spec[0] == "get"} - set(NOT_HTML)
    return ours | ACCOUNT_PAGES


def test_every_page_state_has_no_csp_or_axe_violation_and_every_html_route_is_visited(tour):
    for who, walk in TOURS.items():
        t = tour(who)
        try:
            walk(t)
        except Exception as error:  # a broken step must not hide the violations found so far
            tour.problems.append(f"[{who}] tour stopped at {t.page.url}: {type(error).__name__}: {error}")
    unvisited = sorted(html_get_routes() - tour.visited)
    assert not tour.problems, f"{len(tour.problems)} problem(s):\n\n" + "\n\n".join(tour.problems)
    assert not unvisited, f"GET routes that render HTML but no tour visits: {unvisited}"


def test_the_route_lists_name_real_routes_and_cover_every_get_route():
    from tests.security.test_tenancy_matrix import all_route_names

    names = all_route_names()
    assert set(NOT_HTML) <= names
    assert ACCOUNT_PAGES <= names
    # Every page of allauth is either visited or named here with the reason why not.
    account_routes = {n for n in names if n.startswith(("account_", "mfa_"))}
    assert account_routes == ACCOUNT_PAGES | set(ACCOUNT_NOT_VISITED)
    # Every GET route of ours is either visited by a tour or named here as not rendering HTML.
    ours_get = {name for name, spec in ROUTES.items() if spec[0] == "get"}
    assert ours_get == (html_get_routes() - ACCOUNT_PAGES) | set(NOT_HTML)
