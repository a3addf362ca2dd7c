"""Generated input against every form of the URLconf: no answer is a 500, and a refusal stores nothing.

The forms are found, not listed: every page of ``routes.ROUTES`` is fetched as each persona that may open it,
its ``<form>`` elements are read with the standard library's HTML parser (the action, ``hx-post`` and
``hx-get`` targets and the names of the fields), and every target is then posted to (or, for a GET form,
queried) with values that Hypothesis generates: numbers of any size and sign, exponents, ``NaN`` and
infinities, digits of other scripts, thousands separators, huge, empty and blank strings and null bytes.
One field or a few are hostile per example; the others keep a plausible value (what the page offered, or a
sample by field name), so that the hostile value reaches the code that computes with it.

A route of the URLconf that takes a POST is either fuzzed here or excluded below with a reason, so a new
form is covered without anybody remembering it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.factories import mark_reauthenticated
from tests.security.routes import ROUTES
from tests.security.test_tenancy_matrix import EXPECTED, PERSONAS, all_route_names, url_for

# Who fills in the forms: the owner of the contract, its coordinator, its supplier contact, the
# organisation admin and staff. Strangers are the tenancy matrix's business.
FILLERS = ("alice", "carol", "sam", "erin", "staff")

# Pages the matrix does not open with a form: the running contract is read-only for the buyer,
# the draft is not.
EXTRA_PAGES = {
    "contracts:edit": lambda w: {"uuid": w["draft"].uuid},
    "contracts:delete": lambda w: {"uuid": w["draft"].uuid},
    "contracts:attachments": lambda w: {"uuid": w["draft"].uuid},
    "contracts:detail": lambda w: {"uuid": w["draft"].uuid},
}

# Routes that take a POST whose form the world's pages do not show (the world's contract is past the
# step, or the persona belongs to one organisation only): posted to with these field names instead.
BLIND = {
    "contracts:hand_over": (),
    "contracts:attachment_remove": (),
    "contracts:import_undo": (),
    "monitoring:accept": (),
    "monitoring:record_agreements": (),
    "monitoring:start_execution": (),
    "switch_organisation": ("organisation", "next"),
    "portal:settlement": ("outcome", "reason", "recovery_deadline", "withholding_amount", "withholding_reason"),
    # The world's realisation is not approved: the page says why instead of showing the form.
    "monitoring:lasting_outcome_record": ("answer",),
}

# Routes that take a POST and are not fuzzed here, with the reason.
EXCLUDED = {
    "admin:": "Django admin, staff only; its forms are Django's and run behind the same login and MFA",
    "account_": "allauth's account forms; fuzzing them would fill the shared login rate limits of other tests",
    "mfa_": "allauth's MFA forms; same reason as the account forms",
    "socialaccount_": "not used; allauth's social login is not configured",
    "api:key_revoke": "a button without fields (the key is in the URL); the world has no API key to list it, and "
                      "tests/api/test_keys_page.py covers revoking, its tenancy and its audit event",
}

# Domain apps whose tables must not change when a request is refused.
DOMAIN_APPS = {"wizzr", "contracts", "catalogue", "monitoring", "portal", "knowledgebase", "suppliers"}

NUMBERLIKE = [
    "", " ", "\t\n ", "\x00", "1\x00", "\x001", "0", "-0", "+0", "-0,00", "0,0", "-1", "-0,01", "1", "+5",
    "--5", "5-", " 5 ", "5,", ",5", ".5", ".", ",", "€", "€ 1.250", "1 000", "1\u00a0000",
    "NaN", "nan", "-NaN", "sNaN", "-sNaN", "Infinity", "-Infinity", "inf", "-inf", "+inf", "∞",
    "1e999", "-1e999", "1E+30", "1e-999", "1e5", "9e9999999999", "0e0", "1_000", "0x10",
    "١٢٣", "１２３", "²", "½", "٫5", "߁", "𝟗𝟗",
    "1.000.000,00", "1,000.00", "1.000,000.00", "1,000,000", "999.999.999.999,99", "999.999.999.999,995",
    "1.000.000.000.000,00", "999999999999,99", "1000000000000", "32767", "32768", "2147483648",
    "9223372036854775808", "9" * 28, "9" * 29, "1" + "0" * 29, "9" * 400, "9" * 5000, "-" + "9" * 40,
    "0," + "0" * 40 + "1", "2026-02-30", "0001-01-01", "9999-12-31", "10000-01-01",
    "true", "[]", "{}", "%s", "{{ 7*7 }}", "<script>", "'; --", "\u202e", "x" * 20000,
]


def _dutch(value) -> str:
    text = f"{value:,.2f}" if value.is_finite() else str(value)
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


HOSTILE = st.one_of(
    st.sampled_from(NUMBERLIKE),
    st.integers().map(str),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(_dutch),
    st.floats().map(repr),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-(10**20), 10**20), st.integers(-5000, 5000)),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), max_size=40),
    st.text(max_size=60),
    st.integers(min_value=1, max_value=3000).map(lambda n: "9" * n),
)


# --- reading forms ------------------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea", "button"
    values: list[str] = field(default_factory=list)  # what the page offers or holds
    multiple: bool = False
    numeric: bool = False


@dataclass
class Form:
    method: str
    target: str  # URL path the values go to
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Collects ``<form>`` elements with their fields, and the htmx targets of elements inside them."""

    SKIPPED_INPUTS = {"file", "submit", "image", "reset"}

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[tuple[dict, dict[str, Field], list[tuple[str, str]]]] = []
        self.by_id: dict[str, int] = {}
        self.current: int | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None
        self.pending: list[tuple[dict, str]] = []  # fields pointing at a form by id before it was seen

    def _form_for(self, attrs: dict) -> int | None:
        if attrs.get("form"):
            return self.by_id.get(attrs["form"])
        return self.current

    def _add(self, index: int | None, name: str, kind: str, value: str | None, multiple: bool = False,
             numeric: bool = False) -> Field | None:
        if index is None or not name:
            return None
        fields = self.forms[index][1]
        f = fields.setdefault(name, Field(name, kind, numeric=numeric))
        if value is not None and value not in f.values:
            f.values.append(value)
        f.multiple = f.multiple or multiple or kind == "checkbox"
        return f

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append((a, {}, []))
            self.current = len(self.forms) - 1
            if a.get("id"):
                self.by_id[a["id"]] = self.current
        index = self._form_for(a) if tag != "form" else self.current
        if index is not None:
            for attr, method in (("hx-post", "post"), ("hx-get", "get")):
                if a.get(attr):
                    self.forms[index][2].append((method, a[attr]))
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in self.SKIPPED_INPUTS:
                return
            numeric = kind == "number" or a.get("inputmode") in ("decimal", "numeric")
            value = a.get("value", "" if kind not in ("checkbox", "radio") else None)
            self._add(index, a.get("name", ""), kind, value, numeric=numeric)
        elif tag == "button" and a.get("name"):
            self._add(index, a["name"], "button", a.get("value", ""))
        elif tag == "select":
            self.select = self._add(index, a.get("name", ""), "select", None, "multiple" in a)
        elif tag == "option" and self.select is not None:
            if a.get("value", None) is not None and a.get("value") != "":
                self.select.values.append(a["value"])
        elif tag == "textarea":
            self.textarea = self._add(index, a.get("name", ""), "textarea", None)

    def handle_data(self, data):
        if self.textarea is not None and data.strip() and data.strip() not in self.textarea.values:
            self.textarea.values.append(data.strip())

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def result(self) -> list[Form]:
        forms = []
        for attrs, fields, htmx in self.forms:
            fields = {name: f for name, f in fields.items() if name != "csrfmiddlewaretoken"}
            method = attrs.get("method", "get").lower()
            forms.append(Form(method, attrs.get("action") or self.page_url, fields))
            for hx_method, target in htmx:
                forms.append(Form(hx_method, target, fields))
        return forms


def route_of(target: str) -> tuple[str, str] | None:
    """The namespaced route name and path of a form target of this site, or None for another site."""
    parts = urlsplit(target)
    if parts.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.view_name, parts.path


# --- the world's forms, found once -----------------------------------------------------------------------------


@dataclass
class Target:
    route: str
    method: str
    path: str
    persona: str
    fields: dict[str, Field]


def signed_in(w: dict, persona: str) -> Client:
    client = Client()
    client.force_login(w[persona])
    mark_reauthenticated(client, w[persona])
    return client


def pages(w: dict):
    """(route, persona, url) of every page a filler may open, and the draft's pages."""
    for name in sorted(ROUTES):
        if ROUTES[name][0] != "get":
            continue
        expected = dict(zip(PERSONAS, EXPECTED[name].split(), strict=True))
        for persona in FILLERS:
            if expected[persona] == "200":
                yield name, persona, url_for(name, w)
    for name, kwargs in EXTRA_PAGES.items():
        yield name, "alice", reverse(name, kwargs=kwargs(w))


@pytest.fixture(scope="module")
def targets(world, django_db_blocker) -> dict[str, list[Target]]:
    """Every form target found on the world's pages: route name → how to reach it (one per method and persona)."""
    found: dict[str, list[Target]] = {}
    clients: dict[str, Client] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for _name, persona, url in pages(world):
            if persona not in clients:
                clients[persona] = signed_in(world, persona)
            with transaction.atomic():
                response = clients[persona].get(url)
                transaction.set_rollback(True)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser(url)
            parser.feed(response.content.decode())
            for form in parser.result():
                hit = route_of(form.target)
                if hit is None:
                    continue
                route, path = hit
                known = found.setdefault(route, [])
                same = next((t for t in known if t.method == form.method), None)
                if same is None:
                    known.append(Target(route, form.method, path, persona, dict(form.fields)))
                elif same.persona == persona:
                    for field_name, f in form.fields.items():
                        same.fields.setdefault(field_name, f)
                elif len(form.fields) > len(same.fields):  # the persona who sees the most of the form fills it in
                    known[known.index(same)] = Target(route, form.method, path, persona, dict(form.fields))
        for name, field_names in BLIND.items():
            if not any(t.method == "post" for t in found.get(name, [])):
                expected = dict(zip(PERSONAS, EXPECTED[name].split(), strict=True))
                persona = next((p for p in FILLERS if expected[p] not in ("403", "404")), "alice")
                fields = {n: Field(n, "text") for n in field_names}
                found.setdefault(name, []).append(Target(name, "post", url_for(name, world), persona, fields))
        transaction.set_rollback(True)
    return found


# --- what is stored -------------------------------------------------------------------------------------------


def domain_tables() -> list[str]:
    return sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_label in DOMAIN_APPS and m._meta.managed and not m._meta.proxy
        }
    )


def snapshot() -> dict[str, str]:
    """A fingerprint of every row of every domain table, in one query."""
    tables = domain_tables()
    sql = " UNION ALL ".join(
        f"SELECT %s, coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') FROM {connection.ops.quote_name(table)} t"  # noqa: S608 - the models' own table names, quoted
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return dict(cursor.fetchall())


# --- values -----------------------------------------------------------------------------------------------------


def samples_by_name(w: dict) -> dict[str, str]:
    """Plausible values for fields a page leaves empty, by field name."""
    contract = w["contract"]
    return {
        "contract_number": "INK-FUZZ-1",
        "title": "Gegenereerde invoer",
        "start_date": "2026-03-01",
        "end_date": "2027-03-01",
        "award_date": "2026-01-15",
        "supplier": str(contract.supplier.uuid),
        "contract_value": "100.000,00",
        "sroi_percentage": "5",
        "sroi_fixed_amount": "",
        "description": "Twee leerwerkplekken",
        "persons": "1",
        "hours_per_week": "32",
        "months": "6",
        "hours": "120",
        "invoice_amount": "10000",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "candidate_reference": "AB",
        "birth_year": "1960",
        "reason": "Toelichting",
        "subject": "Vraag",
        "question": "Hoe werkt dit?",
        "body": "Antwoord",
        "email": "nieuw@example.org",
        "name": "Nieuwe Naam",
        "kvk_number": "12345678",
        "recovery_deadline": "2030-01-01",
        "withholding_amount": "0",
        "q": "bouw",
    }


def plausible(f: Field, samples: dict[str, str]) -> st.SearchStrategy:
    offered = [v for v in f.values if v != ""]
    if samples.get(f.name):
        offered.append(samples[f.name])
    if not offered:
        return st.just("")
    if f.multiple:
        return st.lists(st.sampled_from(offered), max_size=3, unique=True)
    return st.sampled_from(offered)


@st.composite
def form_data(draw, fields: dict[str, Field], samples: dict[str, str]):
    """Plausible values for every field, then hostile ones for a few of them (and now and then an extra field)."""
    data = {name: draw(plausible(f, samples)) for name, f in fields.items()}
    names = sorted(fields)
    numeric = [name for name in names if fields[name].numeric]
    if names:
        chosen = draw(st.sets(st.sampled_from(names), min_size=1, max_size=min(3, len(names))))
        if numeric and draw(st.booleans()):  # where numbers are typed, half the examples aim at one of them
            chosen = {draw(st.sampled_from(numeric))}
        for name in chosen:
            value = draw(HOSTILE)
            data[name] = [value] if fields[name].multiple else value
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.sampled_from(["organisation", "role", "is_staff", "status", "x" * 200]))] = draw(HOSTILE)
    return data


# --- the tests --------------------------------------------------------------------------------------------------

ALL_ROUTES = sorted(set(ROUTES) | set(EXTRA_PAGES))


def excluded(name: str) -> bool:
    return name in EXCLUDED or name.startswith(tuple(k for k in EXCLUDED if k.endswith((":", "_"))))


def examples_for(target: Target) -> int:
    """Most examples where numbers are typed; a few where only text or choices are; two where nothing is."""
    if any(f.numeric for f in target.fields.values()) or target.route in BLIND and target.fields:
        return 20
    return 6 if target.fields else 2


@pytest.mark.parametrize("name", ALL_ROUTES)
def test_generated_input_never_gets_a_500_and_a_refusal_stores_nothing(client, w, targets, name):
    found = [t for t in targets.get(name, []) if not excluded(name)]
    if not found:
        pytest.skip("no form of the world's pages sends its values here")
    samples = samples_by_name(w)
    for target in found:
        client.force_login(w[target.persona])
        mark_reauthenticated(client, w[target.persona])
        before = snapshot()  # every example is rolled back, so each one starts from here
        generated_posts(client, target, samples, before)()


def generated_posts(client: Client, target: Target, samples, before: dict[str, str]):
    """A Hypothesis test that sends generated values to ``target`` and checks the answer and the tables."""

    @settings(
        max_examples=examples_for(target), deadline=None, derandomize=True, database=None,
        phases=[Phase.explicit, Phase.generate],  # a failure is shown as generated: shrinking costs minutes
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=form_data(target.fields, samples), htmx=st.booleans())
    def post_generated(data, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        with transaction.atomic():
            response = getattr(client, target.method)(target.path, data, headers=headers)
            assert response.status_code < 500, (target, data)
            if response.status_code >= 400 or target.method == "get" or "preview" in target.route:
                assert snapshot() == before, f"{target.route} stored something on {response.status_code}: {data!r}"
            transaction.set_rollback(True)

    return post_generated


def takes_post(client: Client, name: str, path: str) -> bool:
    """Whether the route reads a POST: declared so, or an empty POST answers otherwise than a GET
    (views that ignore the method answer both alike)."""
    statuses = []
    for method in ("post", "get"):
        with transaction.atomic():
            statuses.append(getattr(client, method)(path, {}).status_code)
            transaction.set_rollback(True)
    return ROUTES[name][0] == "post" or statuses[0] not in (405, statuses[1])


def test_every_route_that_takes_a_post_is_fuzzed_or_excluded_with_a_reason(w, targets):
    posted_to = {name for name, found in targets.items() for t in found if t.method == "post"}
    clients = {persona: signed_in(w, persona) for persona in FILLERS}
    missing = []
    for name in sorted(ROUTES):
        if excluded(name) or name in posted_to:
            continue
        expected = dict(zip(PERSONAS, EXPECTED[name].split(), strict=True))
        persona = next((p for p in FILLERS if expected[p] not in ("403", "404")), "alice")
        if takes_post(clients[persona], name, url_for(name, w)):
            missing.append(name)
    assert not missing, f"routes that take a POST but no form of the world sends to them: {missing}"
    unrouted = {n for n in all_route_names() if n not in ROUTES and not excluded(n)}
    assert not unrouted, f"routes neither in routes.ROUTES nor excluded here: {sorted(unrouted)}"


def test_the_form_reader_finds_the_numeric_fields_of_the_valued_forms(targets):
    def fields_of(route):
        return {name for t in targets[route] for name in t.fields}

    assert {"contract_value", "sroi_fixed_amount", "sroi_percentage"} <= fields_of("contracts:create")
    assert {"contract_value", "sroi_fixed_amount"} <= fields_of("contracts:edit")
    assert {"persons", "hours_per_week", "months", "hours", "invoice_amount", "block"} <= fields_of("monitoring:agreement_preview")
    assert {"hours_per_week", "invoice_amount", "period_start"} <= fields_of("monitoring:realisation_preview")
    assert {"hours_per_week", "invoice_amount"} <= fields_of("portal:realisation_preview")
    assert re.match(r"^/", targets["monitoring:agreement_create"][0].path)


