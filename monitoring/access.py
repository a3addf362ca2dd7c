"""Access helpers for the coordinator's workspace.

Reading goes through the models' ``visible_to(user)``; these helpers add the one rule for
changing: only coordinators of the service point that serves the contract's organisation may
change its follow-up, agreements, realisations and assessments.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from contracts.models import Contract
from wizzr.models import Membership, Role


def is_coordinator_of(user, contract: Contract) -> bool:
    """True when ``user`` is a coordinator of the service point that serves ``contract``'s organisation."""
    served_by = contract.organisation.served_by_id
    if served_by is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation_id=served_by, role=Role.COORDINATOR).exists()


def get_contract_or_404(user, uuid: UUID) -> Contract:
    """Return the handed-over contract ``uuid`` if ``user`` may see it.

    Raises Http404 for contracts of other tenants, drafts and unknown ids alike.
    """
    contracts = (
        Contract.objects.visible_to(user)
        .exclude(status=Contract.Status.DRAFT)
        .select_related("organisation__served_by", "supplier")
    )
    return get_object_or_404(contracts, uuid=uuid)


def get_contract_to_change(user, uuid: UUID) -> Contract:
    """Return the contract ``uuid`` for a change by a coordinator of its service point.

    Raises Http404 when the user may not see it, PermissionDenied (403) when they may see it but
    are not one of its coordinators (for example an advisor of the owning organisation).
    """
    contract = get_contract_or_404(user, uuid)
    if not is_coordinator_of(user, contract):
        raise PermissionDenied
    return contract
