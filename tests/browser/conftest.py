"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a test visits can be checked with ``check_page(page)``: it fails on any
Content-Security-Policy violation seen so far, on any axe-core violation of WCAG 2.1 A/AA and on any
HTML_CodeSniffer error of WCAG 2 AA (a second engine: each finds things the other misses).
``covered_elements(page)`` lists controls and chart labels that a fixed or sticky element covers.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# HTML_CodeSniffer, pinned in package.json (a dev dependency) and installed by `make install`.
HTMLCS_JS = Path(__file__).resolve().parents[2] / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"

# Runs HTML_CodeSniffer's WCAG2AA standard on the document and returns its errors (type 1; warnings and
# notices ask for a human judgement). Messages about elements inside an excluded selector are left out.
# The messages are asked in English, like axe's: without a language HTMLCS takes the document's (Dutch).
_HTMLCS_RUN = """
([exclude, ignore]) => new Promise((resolve, reject) => {
  if (!HTMLCS.getTranslation.patched) {
    // 2.5.1 asks for "…InvalidAutoComplete_*" messages that its catalogue spells "…InvalidAutocomplete_*";
    // without this it throws on the very finding it should report.
    const translate = HTMLCS.getTranslation;
    HTMLCS.getTranslation = function (key) {
      return translate.call(this, key) ?? translate.call(this, key.replace('AutoComplete', 'Autocomplete')) ?? key;
    };
    HTMLCS.getTranslation.patched = true;
  }
  HTMLCS.process('WCAG2AA', document, () => {
    const describe = (el) => {
      if (!el || !el.outerHTML) return el && el.nodeName ? el.nodeName.toLowerCase() : String(el);
      const html = el.outerHTML.replace(/\\s+/g, ' ');
      return html.length > 200 ? html.slice(0, 200) + '…' : html;
    };
    const excluded = (el) => el && el.closest && exclude.some((selector) => el.closest(selector));
    const ignored = (m) => m.element && m.element.closest
      && ignore.some(([code, selector]) => m.code.endsWith(code) && m.element.closest(selector));
    resolve(HTMLCS.getMessages()
      .filter((m) => m.type === HTMLCS.ERROR && !excluded(m.element) && !ignored(m))
      .map((m) => ({code: m.code, message: m.msg, element: describe(m.element)})));
  }, (error) => reject(String(error)), 'en');
})
"""
# HTML_CodeSniffer errors that are not ours to fix, as (end of the message code, element it is on).
HTMLCS_IGNORED = [
    # 2.5.1 checks autocomplete="url" against the control group of e-mail fields, so that the right
    # <input type="url" autocomplete="url"> is an error.
    ("H98", "input[type=url][autocomplete=url]"),
]

# What a fixed or sticky element must not cover: every visible control and the labels of the charts. Each is
# scrolled into view (centred, as far as the page lets it) and the topmost element at its centre must be
# the element itself, something inside it or its label; anything else found there is a cover, reported
# when it is (inside) a fixed or sticky element.
OVERLAP_TARGETS = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex],"
    " [class*=chart__label], [class*=chart__value], [class*=chart__legend-item]"
)
_COVERED = """
(selector) => {
  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 60);
    const classes = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes}> "${text}"`;
  };
  const floating = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const position = getComputedStyle(node).position;
      if (position === 'fixed' || position === 'sticky') return node;
    }
    return null;
  };
  const found = [];
  const modal = document.querySelector('dialog:modal');  // the page behind an open modal dialog is inert
  for (const el of document.querySelectorAll(selector)) {
    if (modal && !modal.contains(el)) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // visually hidden (skip links, native inputs of custom controls)
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;  // clipped by a scrolling box
    const hit = document.elementFromPoint(x, y);
    if (!hit || hit === el || el.contains(hit)) continue;
    if (el.labels && [...el.labels].some((label) => label.contains(hit))) continue;
    const cover = floating(hit);
    if (cover && !cover.contains(el)) found.push(`${describe(el)} is covered by ${describe(cover)}`);
  }
  window.scrollTo(0, 0);
  return found;
}
"""

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


@pytest.fixture(scope="session")
def htmlcs_script() -> str:
    return HTMLCS_JS.read_text(encoding="utf-8")


def htmlcs_errors(page, htmlcs_script: str, exclude: list[str] | None = None) -> list[dict]:
    """HTML_CodeSniffer's WCAG2AA errors on the page as it is now: code, message and element."""
    # Like axe, the script is sent once per document (or loaded with each page by an init script).
    if not page.evaluate("typeof window.HTMLCS === 'object'"):
        page.evaluate(htmlcs_script)
    return page.evaluate(_HTMLCS_RUN, [exclude or [], HTMLCS_IGNORED])


def covered_elements(page) -> list[str]:
    """Controls and chart labels that a fixed or sticky element covers at the current viewport width."""
    return page.evaluate(_COVERED, OVERLAP_TARGETS)


@pytest.fixture
def check_page(axe, htmlcs_script):
    """Return a function that asserts the current page state has no CSP, axe or HTML_CodeSniffer violations."""

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
        # Both engines run before anything fails, so that one report names every finding of the state.
        # axe's exclusions (a list of selector lists) keep HTMLCS off the same widgets.
        exclude = [", ".join(sel) for sel in context.get("exclude", [])] if isinstance(context, dict) else []
        errors = htmlcs_errors(page, htmlcs_script, exclude)
        report = []
        if found:
            report.append(f"axe violations on {page.url}:\n" + results.generate_report())
        if errors:
            report.append(f"HTML_CodeSniffer errors (WCAG2AA) on {page.url}:\n" + "\n".join(
                f"- {e['code']}: {e['message']}\n  {e['element']}" for e in errors
            ))
        assert not report, "\n".join(report)

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
