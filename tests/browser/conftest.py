"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a test visits can be checked with ``check_page(page)``: it fails on any
Content-Security-Policy violation seen so far and on any axe-core violation of WCAG 2.1 A/AA.
"""

from __future__ import annotations

import os
import shutil

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(page):
    page.add_init_script(_CSP_LISTENER)
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def check_page(axe):
    """Return a function that asserts the current page state has no CSP and no axe violations."""

    def check(page, context: str | None = None) -> None:
        # A state is checked once htmx is done and nothing fades any more (a half-faded busy
        # indicator would be measured for contrast at whatever opacity it had at that moment).
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
            " && document.getAnimations().every((a) => a.playState !== 'running')"
        )
        violations = page.evaluate("window.__cspViolations || []")
        assert violations == [], f"CSP violations on {page.url}: {violations}"
        # Only violations are needed: without resultTypes axe also details every pass, several times slower.
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        # axe-core (half a megabyte) is sent to the page once per document, not once per check.
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(axe.axe_script)
        results = AxeResults(
            page.evaluate("([context, options]) => axe.run(context || document, options)", [context, options])
        )
        found = results.response["violations"]
        assert found == [], f"axe violations on {page.url}:\n" + results.generate_report()

    return check


@pytest.fixture
def login(live_server, password):
    """Return a function that logs ``user`` in through the real login form."""

    def do_login(page, user, *, password_to_use: str | None = None) -> None:
        # Login rate limits live in the database cache table, which transactional tests do not empty.
        cache.clear()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mail").first.fill(user.email)
        page.get_by_label("Wachtwoord").first.fill(password_to_use or password)
        page.get_by_role("button", name="Inloggen").click()

    return do_login
