"""The read-only API: keys, answers, filters, pagination, limits and tenancy."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, digest
from tests.api.conftest import issue
from tests.contracts.factories import ContractFactory

UNAUTHORISED = {"detail": "Niet geautoriseerd."}


def contracts_url() -> str:
    return reverse("api:contracts")


def test_a_key_reads_its_organisations_contracts_with_their_figures(w, api, arnhem_key):
    response = api(contracts_url(), arnhem_key)
    assert response.status_code == 200
    body = response.json()
    numbers = {row["number"] for row in body["results"]}
    assert "INK-2026-0042" in numbers and "CONCEPT-1" in numbers
    assert "REN-001" not in numbers and "UTR-001" not in numbers
    row = next(r for r in body["results"] if r["number"] == "INK-2026-0042")
    contract = w["contract"]
    contract.refresh_from_db()
    assert row["uuid"] == str(contract.uuid)
    assert row["status"] == contract.status
    assert row["supplier"]["kvk_number"] == contract.supplier.kvk_number
    assert row["obligation"] == "12500.00"
    assert Decimal(row["agreed"]) == w["agreement"].planned_value
    assert row["realised"] == "0.00"  # the realisation is submitted, not approved
    assert row["on_track"] in ("on_track", "behind", "not_started")
    assert response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_detail_agreements_and_realised_figures_of_a_contract(w, api, arnhem_key):
    contract = w["contract"]
    detail = api(reverse("api:contract", kwargs={"uuid": contract.uuid}), arnhem_key).json()
    assert detail["number"] == "INK-2026-0042"
    agreements = api(reverse("api:agreements", kwargs={"uuid": contract.uuid}), arnhem_key).json()
    assert agreements["count"] == 1
    assert agreements["results"][0]["uuid"] == str(w["agreement"].uuid)
    assert agreements["results"][0]["building_block"]["name"] == w["block"].name
    realised = api(reverse("api:realised", kwargs={"uuid": contract.uuid}), arnhem_key).json()
    assert realised["approved"] == "0.00"
    assert Decimal(realised["submitted"]) == w["realisation"].value > 0
    assert realised["building_blocks"][0]["building_block"]["uuid"] == str(w["block"].uuid)


@pytest.mark.parametrize("route", ["api:contract", "api:agreements", "api:realised"])
def test_another_organisations_contract_answers_like_a_missing_one(w, api, arnhem_key, route):
    foreign = api(reverse(route, kwargs={"uuid": w["renkum_contract"].uuid}), arnhem_key)
    missing = api(reverse(route, kwargs={"uuid": uuid.uuid4()}), arnhem_key)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    assert foreign.headers.get("Content-Type") == missing.headers.get("Content-Type")


def test_unknown_revoked_and_expired_keys_get_the_same_401(w, api, client):
    revoked_token, revoked = ApiToken.issue(organisation=w["arnhem"], name="oud", by=w["erin"])
    revoked_token.revoked_at = timezone.now()
    revoked_token.save()
    expired = issue(w["arnhem"], expires_at=timezone.now() - datetime.timedelta(seconds=1))
    answers = [api(contracts_url(), key) for key in ("wzr_onbekend", revoked, expired, None)]
    answers.append(client.get(contracts_url(), headers={"Authorization": "Basic x"}))
    for response in answers:
        assert response.status_code == 401
        assert response.json() == UNAUTHORISED
        assert response["WWW-Authenticate"] == "Bearer"
    assert len({r.content for r in answers}) == 1


def test_a_signed_in_session_does_not_open_the_api(client, w):
    client.force_login(w["alice"])
    response = client.get(contracts_url())
    assert response.status_code == 401


def test_only_a_hash_and_a_short_prefix_of_the_key_are_stored(w):
    token, secret = ApiToken.issue(organisation=w["arnhem"], name="BI", by=w["erin"])
    token.refresh_from_db()
    assert token.key_hash == digest(secret) and secret not in token.key_hash
    assert secret.startswith(token.prefix) and len(token.prefix) < 16
    assert len(secret) >= 43


def test_other_methods_are_refused_with_405(api, arnhem_key, w):
    for method in ("post", "put", "patch", "delete"):
        response = api(contracts_url(), arnhem_key, method=method)
        assert response.status_code == 405, method
        assert "GET" in response["Allow"]


def test_pages_link_to_each_other_and_hold_at_most_the_page_size(w, api, arnhem_key):
    for n in range(5):
        ContractFactory(organisation=w["arnhem"], contract_number=f"P-{n}", handed_over=True)
    first = api(contracts_url(), arnhem_key, page_size=2).json()
    assert first["count"] >= 8 and len(first["results"]) == 2 and first["previous"] is None
    second = api(first["next"], arnhem_key).json()
    assert second["previous"] and "page=1" in second["previous"]
    seen = [r["uuid"] for r in first["results"] + second["results"]]
    assert len(set(seen)) == 4


@pytest.mark.parametrize(
    "query",
    [{"status": "kapot"}, {"year": "twee"}, {"year": "1999"}, {"page_size": "101"}, {"page": "0"}, {"page": "99"}],
)
def test_a_bad_parameter_gets_a_400_with_a_dutch_and_english_message(api, arnhem_key, w, query):
    response = api(contracts_url(), arnhem_key, **query)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert " / " in detail


def test_status_and_year_filters(w, api, arnhem_key):
    ContractFactory(
        organisation=w["arnhem"], contract_number="OUD-2023", handed_over=True,
        start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2023, 12, 31),
    )
    drafts = api(contracts_url(), arnhem_key, status="draft").json()
    assert {r["number"] for r in drafts["results"]} == {"CONCEPT-1"}
    in_2023 = api(contracts_url(), arnhem_key, year="2023").json()
    assert {r["number"] for r in in_2023["results"]} == {"OUD-2023"}
    in_2027 = {r["number"] for r in api(contracts_url(), arnhem_key, year="2027").json()["results"]}
    assert "INK-2026-0042" in in_2027 and "OUD-2023" not in in_2027


@override_settings(API_RATE_LIMIT_PER_MINUTE=3)
def test_a_key_over_its_rate_limit_gets_429_with_retry_after(w, api, arnhem_key):
    statuses = [api(contracts_url(), arnhem_key).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api(contracts_url(), arnhem_key)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    assert "detail" in response.json()
    other = issue(w["arnhem"])
    assert api(contracts_url(), other).status_code == 200  # the limit is per key


def test_using_a_key_records_when_it_was_last_used(w, api):
    token, secret = ApiToken.issue(organisation=w["arnhem"], name="BI", by=w["erin"])
    assert token.last_used_at is None
    api(contracts_url(), secret)
    token.refresh_from_db()
    assert token.last_used_at is not None


# The key, the rate counter (eleven with the database cache of the test settings, one or two with Redis),
# last used, the count and the page.
MAX_QUERIES = 16


@pytest.mark.parametrize("size", [1, 100])
def test_queries_do_not_grow_with_the_page_size(w, api, arnhem_key, django_assert_max_num_queries, size):
    for n in range(12):
        ContractFactory(organisation=w["arnhem"], contract_number=f"Q-{n}", handed_over=True)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert len(api(contracts_url(), arnhem_key, page_size=size).json()["results"]) == min(size, 16)
    with django_assert_max_num_queries(MAX_QUERIES):
        api(reverse("api:annual_figures"), arnhem_key, page_size=size)
    with django_assert_max_num_queries(MAX_QUERIES):
        api(reverse("api:agreements", kwargs={"uuid": w["contract"].uuid}), arnhem_key, page_size=size)


def test_a_service_point_key_reads_the_handed_over_contracts_of_the_authorities_it_serves(w, api):
    key = issue(w["service_point"])
    numbers = {r["number"] for r in api(contracts_url(), key, page_size=100).json()["results"]}
    assert {"INK-2026-0042", "REN-001"} <= numbers
    assert "CONCEPT-1" not in numbers and "UTR-001" not in numbers
