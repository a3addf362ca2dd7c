"""Every page of the Dutch interface writes dates, times, numbers and amounts the Dutch way.

Each GET route of the URLconf (``routes.ROUTES``) is rendered in the seeded world (``conftest.build_world``)
as every persona who may open it (``test_tenancy_matrix.EXPECTED``), with quantities that have decimals.
The visible text and the values of the inputs a user edits may hold no English month or day name and no
number with a decimal point ("32.0", "1.5"); a dot between groups of three digits is a Dutch thousands
separator ("14.260.000,00") and is allowed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from contracts.models import Contract
from monitoring.models import Agreement, Realisation
from suppliers.models import Supplier
from tests.security.routes import ROUTES
from tests.security.test_tenancy_matrix import EXPECTED, PERSONAS, request_as, url_for
from wizzr.models import Organisation, User

# The personas whose pages differ (buyer, organisation admin, coordinator, supplier, staff).
READERS = ("alice", "erin", "carol", "sam", "staff")

MONTHS = "January February March April May June July August September October November December".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
SHORT = "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun".split()
ENGLISH_NAMES = re.compile(r"\b(" + "|".join(MONTHS + DAYS + SHORT) + r")\b")
# Digits, a point, one or two digits, not part of a longer dotted run: "32.0", "1.5", "12.50" — but not
# "1.250" (a thousands group) nor "127.0.0.1".
DECIMAL_POINT = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])")

# Text that may look English or hold a decimal point, with the reason. Kept short on purpose.
ALLOWED = (
    # Names of people, organisations and suppliers are data: "Jan" is a Dutch first name.
    # (Filled in per page from the database, see ``data_names``.)
    # The language switch offers English under its own name.
    "English",
    # The accessibility statement names the standard by its version.
    "WCAG 2.1",
    "(WCAG) 2.1",
)
# Elements whose text is not read as prose: code samples (IP addresses, version strings), scripts, styles.
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "template"}
# Inputs whose value the user reads or edits as text.
TEXT_INPUTS = {"text", "search", "number", "email", "tel", "url", ""}


class ReadableText(HTMLParser):
    """The text a user reads on the page and the values of the text inputs they edit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        if tag == "input":
            attributes = dict(attrs)
            if attributes.get("type", "") in TEXT_INPUTS and attributes.get("value"):
                self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def readable_text(html: str) -> list[str]:
    parser = ReadableText()
    parser.feed(html)
    return parser.parts


def data_names() -> list[str]:
    """Names stored as data, longest first (so that a longer name is removed before a part of it)."""
    names = set(User.objects.values_list("name", flat=True))
    names |= set(Organisation.objects.values_list("name", flat=True))
    names |= set(Supplier.objects.values_list("legal_name", flat=True))
    names |= set(Supplier.objects.values_list("trade_name", flat=True))
    return sorted((n for n in names if n), key=len, reverse=True)


def english_or_decimal_point(parts: list[str], names: list[str]) -> list[str]:
    found = []
    for part in parts:
        text = part
        for allowed in (*names, *ALLOWED):
            text = text.replace(allowed, " ")
        found += [m.group(0) for m in ENGLISH_NAMES.finditer(text)]
        found += [m.group(0) for m in DECIMAL_POINT.finditer(text)]
    return found


def test_the_checks_see_english_dates_and_decimal_points():
    parts = readable_text(
        '<p>Bijgewerkt 4 Dec 2026 23:36</p><input type="text" name="h" value="32.0">'
        "<p>Sunday, 1.5 uur</p><code>10.0.0.1 v1.2</code><p>€ 14.260.000,00 op 1-4-2027</p>"
    )
    assert english_or_decimal_point(parts, []) == ["Dec", "32.0", "Sunday", "1.5"]
    assert english_or_decimal_point(["Jan de Vries"], ["Jan de Vries"]) == []


def get_routes() -> list[str]:
    return sorted(name for name, spec in ROUTES.items() if spec[0] == "get" and name in EXPECTED)


@pytest.mark.parametrize("name", get_routes())
def test_every_page_writes_dates_and_numbers_the_dutch_way(client, w, name):
    # Quantities and amounts with decimals, so that an English rendering would show.
    Agreement.objects.filter(pk=w["agreement"].pk).update(hours_per_week=Decimal("32.0"), months=Decimal("6.5"))
    Realisation.objects.filter(pk=w["realisation"].pk).update(hours_per_week=Decimal("32.0"), hours=Decimal("1.5"))
    Contract.objects.filter(pk__in=[w["contract"].pk, w["draft"].pk]).update(contract_value=Decimal("14260000.50"))
    names = data_names()
    statuses = dict(zip(PERSONAS, map(int, EXPECTED[name].split()), strict=True))
    readers = [persona for persona in READERS if statuses[persona] == 200]
    for persona in readers:
        response = request_as(client, w, persona, "get", url_for(name, w))
        if "text/html" not in response.get("Content-Type", ""):
            continue
        assert response.headers.get("Content-Language", "nl") == "nl"
        found = english_or_decimal_point(readable_text(response.content.decode()), names)
        assert found == [], f"{name} as {persona}: {found}"
