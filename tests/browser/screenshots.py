"""Screenshots of the main pages of each role at a phone, a tablet and a laptop width: `make screenshots`.

Not a test of the suite (the name does not match ``test_*.py``, so ``make test`` never collects it): it is
run on purpose, by name, to look at the pages after a change of layout or style. Each page is written to
``$WIZZR_SCREENSHOTS_DIR/<role>-<page>-<width>.png`` (default ``var/screenshots``), the whole length of
the page. The world is the seeded one of the security suite: a running contract of Arnhem with agreement,
realisation, reporting period and supplier contact, a draft contract, a help request and an article.

It still fails when a page does not answer as expected, so that a broken page is not photographed silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD
from tests.security.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 768, 1366)
HEIGHT = 900
OUT = Path(os.environ.get("WIZZR_SCREENSHOTS_DIR") or Path(__file__).resolve().parents[2] / "var" / "screenshots")


def pages(w: dict) -> dict[str | None, list[tuple[str, str, int]]]:
    """Per persona (None: not signed in) the pages to photograph: (name in the file, path, expected status)."""
    contract, draft = w["contract"].uuid, w["draft"].uuid
    return {
        "alice": [
            ("start", reverse("start"), 200),
            ("contract-form", reverse("contracts:create"), 200),
            ("bijlagen", reverse("contracts:attachments", kwargs={"uuid": draft}), 200),
            ("monitoring-list", reverse("monitoring:individual"), 200),
            ("consolidated", reverse("monitoring:consolidated"), 200),
            ("contract", reverse("monitoring:contract", kwargs={"uuid": contract}), 200),
        ],
        "carol": [
            ("work-queue", reverse("monitoring:work_queue"), 200),
            ("workspace", reverse("monitoring:workspace", kwargs={"uuid": contract}), 200),
            ("help-requests", reverse("knowledgebase:help_request_queue"), 200),
        ],
        "sam": [
            ("portal", reverse("portal:home"), 200),
            ("contract", reverse("portal:contract", kwargs={"uuid": contract}), 200),
            ("period", reverse("portal:period", kwargs={"uuid": contract, "period_uuid": w["period"].uuid}), 200),
        ],
        "staff": [
            ("admin", reverse("admin:index"), 200),
            ("admin-suppliers", reverse("admin:suppliers_supplier_changelist"), 200),
        ],
        None: [
            ("login", reverse("account_login"), 200),
            ("404", "/bestaat-niet/", 404),
        ],
    }


# The role in the file name, as the people who use the pages know them.
ROLES = {"alice": "advisor", "carol": "coordinator", "sam": "supplier", "staff": "staff", None: "anonymous"}


def test_the_main_pages_of_each_role_are_photographed_at_three_widths(browser, live_server, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    w = build_world()
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for who, shots in pages(w).items():
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam",
                                      viewport={"width": WIDTHS[-1], "height": HEIGHT})
        page = context.new_page()
        page.set_default_timeout(10_000)
        if who:
            cache.clear()  # login rate limits
            page.goto(f"{live_server.url}{reverse('account_login')}")
            page.get_by_label("E-mail").first.fill(w[who].email)
            page.get_by_label("Wachtwoord").first.fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.wait_for_url(f"{live_server.url}/**")
        for name, path, status in shots:
            response = page.goto(live_server.url + path)
            assert response.status == status, f"{ROLES[who]} {name}: {path} answered {response.status}"
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")
                target = OUT / f"{ROLES[who]}-{name}-{width}.png"
                page.screenshot(path=target, full_page=True, animations="disabled", caret="initial")
                written.append(target)
        context.close()
    assert all(p.stat().st_size > 0 for p in written)
    print(f"\n{len(written)} screenshots in {OUT}")
