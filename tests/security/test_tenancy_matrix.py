"""Every route of the URLconf against every persona, in one table.

The world (``conftest.build_world``): Arnhem's contract INK-2026-0042, handed over to Midden-Gelderland and
running — attachment, agreement, realisation with evidence, reporting period, an invited supplier contact
and a change request with an attachment. Personas: ``alice`` advises Arnhem (the owner), ``bob`` Renkum
(same service point), ``dave`` Utrecht (another service point), ``carol`` coordinates the serving service
point, ``frank`` another one, ``erin`` is Arnhem's organisation admin (and advisor), ``staff`` a superuser
without memberships, ``anon`` is not logged in; ``sam`` is the supplier contact invited to the contract,
``tom`` works for another supplier company, ``uma`` for sam's company without an invitation to this contract.

Every 404 of a route that addresses an object is byte-for-byte the answer for random ids; the
completeness test fails when a route of the URLconf has no row here.
"""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import masked
from tests.security.routes import ROUTES

PERSONAS = ("anon", "alice", "bob", "dave", "carol", "frank", "erin", "staff", "sam", "tom", "uma")

# Expected status per persona, in the order of PERSONAS. 302 for anon is always the login page; 302 for a
# member is the redirect after a successful POST (or to reauthentication before a bulk export or a role
# change); 400 is a form with errors (an empty POST); 403 is a missing role inside the tenant.
#                                               anon alice bob dave carol frank erin staff sam tom uma
EXPECTED = {
    "start":                                    "302 200 200 200 200 200 200 200 200 200 200",
    "healthz":                                  "200 200 200 200 200 200 200 200 200 200 200",
    "accessibility":                            "200 200 200 200 200 200 200 200 200 200 200",
    "switch_organisation":                      "302 404 404 404 404 404 404 404 404 404 404",  # no organisation posted
    "notifications":                            "302 200 200 200 200 200 200 200 200 200 200",
    "notification_open":                        "302 302 404 404 404 404 404 404 404 404 404",  # alice's own
    "members":                                  "302 403 403 403 403 403 200 403 403 403 403",
    "member_invite":                            "302 403 403 403 403 403 302 403 403 403 403",  # reauthenticate
    "member_remove":                            "302 403 403 403 403 403 200 403 403 403 403",
    "audit_log":                                "302 403 403 403 403 403 200 403 403 403 403",
    "invitation_accept":                        "200 200 200 200 200 200 200 200 200 200 200",  # the token is the key
    "set_language":                             "302 302 302 302 302 302 302 302 302 302 302",
    "admin_login":                              "302 302 302 302 302 302 302 302 302 302 302",
    "suppliers:search":                         "302 200 200 200 200 200 200 200 403 403 403",
    "suppliers:add":                            "302 200 200 200 200 200 200 200 403 403 403",
    "contracts:create":                         "302 200 200 200 403 403 200 403 403 403 403",
    "contracts:contact_persons":                "302 200 404 404 403 403 200 403 403 403 403",
    "contracts:detail":                         "302 200 404 404 200 404 200 404 404 404 404",
    "contracts:edit":                           "302 302 404 404 403 404 302 404 404 404 404",  # handed over: read-only
    "contracts:delete":                         "302 302 404 404 403 404 302 404 404 404 404",
    "contracts:attachments":                    "302 200 404 404 200 404 200 404 404 404 404",
    "contracts:attachment_download":            "302 200 404 404 200 404 200 404 404 404 404",
    "contracts:attachment_remove":              "302 302 404 404 403 404 302 404 404 404 404",
    "contracts:hand_over":                      "302 302 404 404 403 404 302 404 404 404 404",
    "contracts:handed_over":                    "302 200 404 404 200 404 200 404 404 404 404",
    "contracts:import_start":                   "302 403 403 403 403 403 200 403 403 403 403",  # authority admins
    "contracts:import_template":                "302 403 403 403 403 403 200 403 403 403 403",
    "contracts:import_batch":                   "302 404 404 404 404 404 200 404 404 404 404",
    "contracts:import_progress":                "302 404 404 404 404 404 200 404 404 404 404",
    "contracts:import_undo":                    "302 404 404 404 404 404 302 404 404 404 404",  # refused: applied none
    "monitoring:individual":                    "302 200 200 200 200 200 200 403 403 403 403",  # own scope only
    "monitoring:consolidated":                  "302 200 200 200 200 200 200 403 403 403 403",
    "monitoring:annual_report":                 "302 200 200 200 200 200 200 403 403 403 403",  # own scope only
    "monitoring:annual_report_pdf":             "302 200 200 200 200 200 200 403 403 403 403",
    "monitoring:benchmarks":                    "302 200 200 200 404 404 200 404 404 404 404",  # authorities only
    "monitoring:benchmark_participation":       "302 403 403 403 404 404 302 404 404 404 404",  # its org admin
    "monitoring:supplier_options":              "302 200 200 200 200 200 200 403 403 403 403",  # own suppliers only
    "monitoring:contract":                      "302 200 404 404 200 404 200 404 404 404 404",
    "monitoring:export_individual":             "302 302 302 302 302 302 302 403 403 403 403",  # reauthenticate
    "monitoring:export_consolidated":           "302 302 302 302 302 302 302 403 403 403 403",
    "monitoring:export_realisations":           "302 302 302 302 302 302 302 403 403 403 403",
    "monitoring:work_queue":                    "302 403 403 403 200 200 403 403 403 403 403",
    "monitoring:workspace":                     "302 200 404 404 200 404 200 404 404 404 404",
    "monitoring:accept":                        "302 403 404 404 302 404 403 404 404 404 404",
    "monitoring:assign":                        "302 403 404 404 302 404 403 404 404 404 404",
    "monitoring:rhythm":                        "302 403 404 404 302 404 403 404 404 404 404",
    "monitoring:record_agreements":             "302 403 404 404 302 404 403 404 404 404 404",
    "monitoring:start_execution":               "302 403 404 404 302 404 403 404 404 404 404",
    "monitoring:close":                         "302 403 404 404 200 404 403 404 404 404 404",
    "monitoring:agreement_create":              "302 403 404 404 200 404 403 404 404 404 404",
    "monitoring:agreement_preview":             "302 403 404 404 200 404 403 404 404 404 404",
    "monitoring:agreement_update":              "302 403 404 404 200 404 403 404 404 404 404",
    "monitoring:agreement_delete":              "302 403 404 404 302 404 403 404 404 404 404",
    "monitoring:realisation_create":            "302 403 404 404 200 404 403 404 404 404 404",
    "monitoring:realisation_preview":           "302 403 404 404 200 404 403 404 404 404 404",
    "monitoring:realisation":                   "302 200 404 404 200 404 200 404 404 404 404",
    "monitoring:realisation_update":            "302 403 404 404 200 404 403 404 404 404 404",
    "monitoring:realisation_approve":           "302 403 404 404 302 404 403 404 404 404 404",
    "monitoring:realisation_reject":            "302 403 404 404 400 404 403 404 404 404 404",  # reason required
    "monitoring:evidence":                      "302 200 404 404 200 404 200 404 404 404 404",
    "monitoring:evidence_delete":               "302 403 404 404 302 404 403 404 404 404 404",
    "monitoring:lasting_outcomes":              "302 200 404 404 200 404 200 404 404 404 404",
    "monitoring:lasting_outcome_record":        "302 403 404 404 200 404 403 404 404 404 404",  # coordinators only
    "monitoring:pso_certificates":              "302 403 404 404 200 404 403 404 404 404 404",  # coordinators only
    "monitoring:pso_certificate":               "302 403 404 404 200 404 403 404 404 404 404",
    "monitoring:pso_certificate_check":         "302 403 404 404 302 404 403 404 404 404 404",
    "knowledgebase:index":                      "302 200 200 200 200 200 200 200 200 200 200",
    "knowledgebase:category":                   "302 200 200 200 200 200 200 200 200 200 200",
    "knowledgebase:article":                    "302 200 200 200 200 200 200 200 200 200 200",
    "knowledgebase:article_feedback":           "302 400 400 400 400 400 400 400 400 400 400",
    "knowledgebase:help_request_list":          "302 200 200 200 200 200 200 200 200 200 200",  # own scope only
    "knowledgebase:help_request_create":        "302 200 200 200 200 200 200 200 200 200 200",
    "knowledgebase:contract_options":           "302 200 200 200 200 200 200 200 200 200 200",  # own contracts only
    "knowledgebase:change_request_create":      "302 200 404 404 403 404 200 404 404 404 404",
    "knowledgebase:help_request_queue":         "302 403 403 403 200 200 403 403 403 403 403",
    "knowledgebase:help_request_detail":        "302 200 404 404 200 404 200 404 404 404 404",
    "knowledgebase:help_request_reply":         "302 400 404 404 400 404 403 404 404 404 404",
    "knowledgebase:help_request_status":        "302 403 404 404 302 404 403 404 404 404 404",
    "knowledgebase:change_request_apply":       "302 403 404 404 200 404 403 404 404 404 404",
    "knowledgebase:help_request_attachment":    "302 200 404 404 200 404 200 404 404 404 404",
    "portal:home":                              "302 200 200 200 200 200 200 200 200 200 200",  # own scope only
    "portal:todo":                              "302 200 200 200 200 200 200 200 200 200 200",  # own scope only
    "portal:contract":                          "302 404 404 404 404 404 404 404 200 404 404",
    "portal:period":                            "302 404 404 404 404 404 404 404 200 404 404",
    "portal:period_submit":                     "302 404 404 404 404 404 404 404 302 404 404",
    "portal:realisation_create":                "302 404 404 404 404 404 404 404 200 404 404",
    "portal:realisation_preview":               "302 404 404 404 404 404 404 404 200 404 404",
    "portal:realisation":                       "302 404 404 404 404 404 404 404 200 404 404",
    "portal:lasting_outcome":                   "302 404 404 404 404 404 404 404 200 404 404",
    "portal:realisation_update":                "302 404 404 404 404 404 404 404 200 404 404",
    "portal:evidence":                          "302 404 404 404 404 404 404 404 200 404 404",
    "portal:evidence_delete":                   "302 404 404 404 404 404 404 404 302 404 404",
    "portal:social_company_search":             "302 404 404 404 404 404 404 404 200 200 200",  # supplier contacts
    "portal:overdue":                           "302 403 403 403 200 200 403 403 403 403 403",
    "portal:invite":                            "302 403 404 404 200 404 403 404 404 404 404",
    "portal:access_revoke":                     "302 403 404 404 302 404 403 404 404 404 404",
    "portal:settlement":                        "302 403 404 404 200 404 403 404 404 404 404",
    "api:keys":                                 "302 403 403 403 403 403 200 403 403 403 403",
    "api:key_revoke":                           "302 403 403 403 403 403 302 403 403 403 403",
    "api:openapi":                              "200 200 200 200 200 200 200 200 200 200 200",  # public description
    # The API reads a bearer key only; a session opens nothing (tests/api/test_api_tenancy.py walks it with keys).
    "api:contracts":                            "401 401 401 401 401 401 401 401 401 401 401",
    "api:contract":                             "401 401 401 401 401 401 401 401 401 401 401",
    "api:agreements":                           "401 401 401 401 401 401 401 401 401 401 401",
    "api:realised":                             "401 401 401 401 401 401 401 401 401 401 401",
    "api:annual_figures":                       "401 401 401 401 401 401 401 401 401 401 401",
}

# Third-party URLconfs with their own small checks below.
SEPARATELY_CHECKED = ("admin:", "account_", "mfa_", "socialaccount_", "static", "javascript-catalog")


def all_route_names() -> set[str]:
    """Every named route of the project's URLconf, namespaced, walked recursively."""

    def walk(patterns, namespace: str = ""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"

    return set(walk(get_resolver().url_patterns))


def test_every_route_of_the_urlconf_has_a_row_in_the_matrix():
    ours = {name for name in all_route_names() if not name.startswith(SEPARATELY_CHECKED)}
    missing = ours - set(EXPECTED)
    assert not missing, f"routes without a tenancy row: {sorted(missing)}"
    assert set(EXPECTED) == set(ROUTES)
    assert set(EXPECTED) - ours == set(), "rows for routes that no longer exist"


def test_the_matrix_walk_finds_routes_of_every_app():
    names = all_route_names()
    for prefix in ("contracts:", "monitoring:", "knowledgebase:", "suppliers:", "portal:", "admin:", "account_"):
        assert any(n.startswith(prefix) for n in names), prefix


def url_for(name: str, w: dict, *, randomised: bool = False) -> str:
    spec = ROUTES[name]
    kwargs = spec[1](w)
    query = spec[2](w) if len(spec) > 2 else {}
    if randomised:
        kwargs = {k: uuid.uuid4() if isinstance(v, uuid.UUID) else v for k, v in kwargs.items()}
        query = {k: uuid.uuid4() if isinstance(v, uuid.UUID) else v for k, v in query.items()}
    url = reverse(name, kwargs=kwargs)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def has_object(name: str, w: dict) -> bool:
    spec = ROUTES[name]
    values = list(spec[1](w).values()) + (list(spec[2](w).values()) if len(spec) > 2 else [])
    return any(isinstance(v, uuid.UUID) for v in values)


def request_as(client, w, persona: str, method: str, url: str):
    """One request as ``persona``; whatever it changes is rolled back before the next one."""
    client.cookies.clear()
    if persona != "anon":
        client.cookies[settings.SESSION_COOKIE_NAME] = w["sessions"][persona]
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_persona_gets_the_expected_answer_and_strangers_the_answer_for_random_ids(client, w, name):
    method = ROUTES[name][0]
    expected = dict(zip(PERSONAS, map(int, EXPECTED[name].split()), strict=True))
    got = {}
    for persona in PERSONAS:
        response = request_as(client, w, persona, method, url_for(name, w))
        got[persona] = response.status_code
        if response.status_code == 302 and persona == "anon" and name != "set_language":
            assert response["Location"].startswith(reverse("account_login")), name
        if expected[persona] == 404 and has_object(name, w):
            unknown = request_as(client, w, persona, method, url_for(name, w, randomised=True))
            assert masked(response) == masked(unknown), f"{name} as {persona}: 404 differs from a random id"
            if persona not in ("bob", "frank"):
                continue
            # The nearest strangers (same service point; a coordinator elsewhere) try the other method too.
            other = request_as(client, w, persona, "post" if method == "get" else "get", url_for(name, w))
            assert other.status_code in (404, 405), f"{name} as {persona}: {other.status_code} for the other method"
    assert got == expected
