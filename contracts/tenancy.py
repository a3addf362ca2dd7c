"""The rows that carry a contract's organisation and move with the contract when it changes hands.

Contracts knows its own attachments; the apps that build on contracts (monitoring, portal) register
theirs when they load, so that ``contracts.services.contract_move_organisation`` moves every row
without knowing those apps.
"""

from __future__ import annotations

from django.db import models

_rows: dict[type[models.Model], str] = {}


def contract_rows_register(*, model: type[models.Model], contract_lookup: str = "contract") -> None:
    """Register ``model``: its ``organisation`` is the contract's, found through ``contract_lookup``
    (e.g. ``"realisation__contract"``)."""
    _rows[model] = contract_lookup


def contract_rows() -> dict[type[models.Model], str]:
    """Every registered model with the lookup from it to its contract."""
    return dict(_rows)
