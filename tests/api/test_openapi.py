"""The OpenAPI document: valid OpenAPI 3.1, complete for the URLconf, and true to the answers."""

from __future__ import annotations

import re

import jsonschema
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openapi_spec_validator import validate

from tests.api.conftest import issue

API_PREFIX = "api/v1/"


def api_route_paths() -> dict[str, str]:
    """{route name: OpenAPI path} of every route under /api/v1/ in the URLconf, walked recursively."""

    def walk(patterns, prefix: str = "", namespace: str = ""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and route.startswith(API_PREFIX):
                yield f"{namespace}{pattern.name}", re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route[len(API_PREFIX) - 1 :])

    return dict(walk(get_resolver().url_patterns))


@pytest.fixture
def spec(client, db):
    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    return response.json()


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_api_route_of_the_urlconf_is_in_the_document_and_nothing_else(spec):
    routes = api_route_paths()
    assert len(routes) >= 6
    assert set(routes.values()) == set(spec["paths"])


def test_every_parameter_of_a_path_is_described(spec):
    for path, item in spec["paths"].items():
        described = {p["name"] for p in item["get"]["parameters"] if p["in"] == "path"}
        assert described == set(re.findall(r"{(\w+)}", path)), path


def schema_for(spec: dict, path: str, status: int) -> dict:
    answer = spec["paths"][path]["get"]["responses"][str(status)]
    schema = answer["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}


def check(spec: dict, path: str, response) -> None:
    validator = jsonschema.Draft202012Validator(
        schema_for(spec, path, response.status_code), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(response.json())


def test_the_answers_of_every_endpoint_match_their_schema(client, w, spec):
    key = issue(w["arnhem"], w["erin"])
    headers = {"Authorization": f"Bearer {key}"}
    c = w["contract"].uuid
    calls = {
        "api:contracts": ({}, {"page_size": 1}),
        "api:contract": ({"uuid": c}, {}),
        "api:agreements": ({"uuid": c}, {}),
        "api:realised": ({"uuid": c}, {}),
        "api:annual_figures": ({}, {}),
        "api:openapi": ({}, {}),
    }
    routes = api_route_paths()
    assert set(calls) == set(routes), "a new API route needs a call here"
    for name, (kwargs, query) in calls.items():
        response = client.get(reverse(name, kwargs=kwargs), query, headers=headers)
        assert response.status_code == 200, name
        check(spec, routes[name], response)
        if name == "api:openapi":
            continue
        unauthorised = client.get(reverse(name, kwargs=kwargs))
        assert str(unauthorised.status_code) in spec["paths"][routes[name]]["get"]["responses"]
        check(spec, routes[name], unauthorised)
    check(spec, "/contracts/", client.get(reverse("api:contracts"), {"status": "x"}, headers=headers))
    check(spec, "/contracts/{uuid}/", client.get(reverse("api:contract", kwargs={"uuid": w["renkum_contract"].uuid}), headers=headers))


def test_a_wrong_answer_does_fail_the_schema(spec):
    class Fake:
        status_code = 200

        @staticmethod
        def json():
            return {"count": 1, "next": None, "previous": None, "results": [{"uuid": "x"}]}

    with pytest.raises(jsonschema.ValidationError):
        check(spec, "/contracts/", Fake())
