"""Access helpers of the supplier portal.

Supplier users reach a contract only through a ``SupplierAccess`` of their own (see
``SupplierAccessQuerySet.visible_to``); everything else — other contracts, other companies, the same
company's contracts they were not invited to — is a 404 identical to an unknown id.
"""

from __future__ import annotations

from uuid import UUID

from django.shortcuts import get_object_or_404

from contracts.models import Contract
from monitoring.models import Evidence, Realisation
from portal.models import ReportingPeriod, SupplierAccess
from wizzr.models import Organisation, Role, User


def supplier_contracts(user):
    """The contracts ``user`` was invited to as a supplier contact (none for anyone else)."""
    return Contract.objects.filter(pk__in=SupplierAccess.objects.visible_to(user).values("contract_id"))


def get_supplier_contract_or_404(user, uuid: UUID) -> Contract:
    """Return contract ``uuid`` if ``user`` has supplier access to it; raise Http404 otherwise."""
    contracts = supplier_contracts(user).select_related("organisation__served_by", "supplier", "follow_up")
    return get_object_or_404(contracts, uuid=uuid)


def get_period_or_404(contract: Contract, uuid: UUID) -> ReportingPeriod:
    """Return reporting period ``uuid`` of ``contract``; raise Http404 for a period of another contract."""
    return get_object_or_404(ReportingPeriod.objects.filter(contract=contract), uuid=uuid)


def get_realisation_or_404(contract: Contract, uuid: UUID) -> Realisation:
    """Return realisation ``uuid`` of ``contract``; raise Http404 for one of another contract."""
    realisations = Realisation.objects.filter(contract=contract).select_related("block", "agreement", "reporting_entry__period")
    return get_object_or_404(realisations, uuid=uuid)


def get_evidence_or_404(contract: Contract, uuid: UUID) -> Evidence:
    """Return evidence file ``uuid`` of a realisation of ``contract``; raise Http404 otherwise."""
    return get_object_or_404(Evidence.objects.filter(realisation__contract=contract).select_related("realisation"), uuid=uuid)


def existing_supplier_contact(*, contract: Contract, email: str) -> User | None:
    """Return the account with ``email`` if it is a supplier member of the supplier company of ``contract``.

    None for anyone else, including accounts of other organisations: what the coordinator learns from
    it is limited to the people of the company they invite.
    """
    email = (email or "").strip()
    if not email:
        return None
    return User.objects.filter(
        email__iexact=email,
        memberships__role=Role.SUPPLIER,
        memberships__organisation__kind=Organisation.Kind.SUPPLIER,
        memberships__organisation__kvk_number=contract.supplier.kvk_number,
    ).first()
