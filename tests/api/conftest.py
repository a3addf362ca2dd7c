"""The API tests read the security suite's seeded world (``tests.security.conftest.build_world``): Arnhem's
running contract INK-2026-0042 with an agreement and a submitted realisation, Renkum's and Utrecht's
contracts, and the personas."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from api.models import ApiToken
from tests.security.conftest import w, world  # noqa: F401  (fixtures)


def issue(organisation, by=None, **fields) -> str:
    return ApiToken.issue(organisation=organisation, name=fields.pop("name", "Power BI"), by=by, **fields)[1]


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def arnhem_key(w) -> str:
    return issue(w["arnhem"], w["erin"])


@pytest.fixture
def api(client):
    """``api(url, key, **query)``: a GET with the key as bearer token."""

    def get(url, key, method="get", **query):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return getattr(client, method)(url, query or None, headers=headers)

    return get
