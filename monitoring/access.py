"""Access helpers for the coordinator's workspace.

Reading goes through the models' ``visible_to(user)``; these helpers add the one rule for
changing: only coordinators of the service point that serves the contract's organisation may
change its follow-up, agreements, realisations and assessments.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from contracts.models import Contract
from wizzr.access import get_visible_or_404, has_role
from wizzr.models import Role


def is_coordinator_of(request: HttpRequest, contract: Contract) -> bool:
    """True when the request's user is a coordinator of the service point that serves ``contract``'s organisation."""
    return has_role(request, contract.organisation.served_by_id, Role.COORDINATOR)


def get_contract_or_404(request_or_user, uuid: UUID) -> Contract:
    """Return the handed-over contract ``uuid`` if the user (or the request's user) may see it.

    Raises Http404 for contracts of other tenants, drafts and unknown ids alike.
    """
    contracts = Contract.objects.exclude(status=Contract.Status.DRAFT).select_related("organisation__served_by", "supplier")
    return get_visible_or_404(contracts, request_or_user, uuid=uuid)


def get_contract_to_change(request: HttpRequest, uuid: UUID) -> Contract:
    """Return the contract ``uuid`` for a change by a coordinator of its service point.

    Raises Http404 when the user may not see it, PermissionDenied (403) when they may see it but
    are not one of its coordinators (for example an advisor of the owning organisation).
    """
    contract = get_contract_or_404(request, uuid)
    if not is_coordinator_of(request, contract):
        raise PermissionDenied
    return contract
