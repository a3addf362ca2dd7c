"""Every API route with a key of each organisation: a key sees its own organisation's contracts only, and
another organisation's contract answers byte for byte like a random id. The routes are collected from
the URLconf, so a new API route cannot be left out."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from tests.api.conftest import issue
from tests.api.test_openapi import api_route_paths

# Arnhem owns w["contract"]; the service point serves Arnhem (and so sees the handed-over contract).
SEES_ARNHEMS_CONTRACT = {"arnhem": True, "renkum": False, "utrecht": False, "service_point": True,
                         "other_service_point": False}


def call(client, name: str, key: str, **kwargs):
    return client.get(reverse(name, kwargs=kwargs), headers={"Authorization": f"Bearer {key}"})


def object_routes() -> list[str]:
    return sorted(name for name, path in api_route_paths().items() if "{uuid}" in path)


def test_the_walk_finds_the_contract_routes():
    assert {"api:contract", "api:agreements", "api:realised"} <= set(object_routes())


@pytest.mark.parametrize("organisation", sorted(SEES_ARNHEMS_CONTRACT))
def test_each_organisations_key_on_every_api_route(client, w, organisation):
    key = issue(w[organisation])
    for name, path in sorted(api_route_paths().items()):
        if "{uuid}" not in path:
            response = call(client, name, key)
            assert response.status_code == 200, name
            if name == "api:contracts":
                numbers = {r["number"] for r in response.json()["results"]}
                assert ("INK-2026-0042" in numbers) == SEES_ARNHEMS_CONTRACT[organisation]
                assert ("UTR-001" in numbers) == (organisation in ("utrecht", "other_service_point"))
            continue
        response = call(client, name, key, uuid=w["contract"].uuid)
        unknown = call(client, name, key, uuid=uuid.uuid4())
        assert unknown.status_code == 404, name
        if SEES_ARNHEMS_CONTRACT[organisation]:
            assert response.status_code == 200, f"{name} with {organisation}'s key"
        else:
            assert response.status_code == 404, f"{name} with {organisation}'s key"
            assert response.content == unknown.content, name
            assert dict(response.headers).keys() == dict(unknown.headers).keys()


@pytest.mark.parametrize("name", object_routes())
def test_arnhems_key_never_sees_renkum(client, w, name):
    key = issue(w["arnhem"])
    assert call(client, name, key, uuid=w["renkum_contract"].uuid).status_code == 404
