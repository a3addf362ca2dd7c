"""Demo data of the supplier portal (a ``WIZZR_SEED_HOOKS`` entry, after the monitoring hook).

A supplier login ``leverancier@bouwbedrijf.example`` of the demo construction company (KvK
12345678), invited to the company's demo contracts, whose reporting periods are opened. Idempotent.
"""

from __future__ import annotations

import os

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import translation

from contracts.models import Contract
from portal.models import SupplierAccess
from portal.services import periods_open, supplier_organisation_for
from wizzr.models import Membership, Role, User

SUPPLIER_EMAIL = "leverancier@bouwbedrijf.example"
SUPPLIER_NAME = "Sanne van den Heuvel"
KVK = "12345678"


def seed_demo(*, stdout, style) -> None:
    with translation.override("nl"), transaction.atomic():
        contracts = list(
            Contract.objects.filter(supplier__kvk_number=KVK).exclude(status=Contract.Status.DRAFT)
            .select_related("supplier", "organisation__served_by").order_by("contract_number")
        )
        if not contracts:
            stdout.write("Supplier portal demo: no contracts of the demo construction company; skipped.")
            return
        company = supplier_organisation_for(contract=contracts[0])
        user = User.objects.filter(email=SUPPLIER_EMAIL).first()
        if user is None:
            user = User.objects.create_user(
                email=SUPPLIER_EMAIL, password=os.environ.get("DEMO_PASSWORD", "wizzr-demo-2026"),
                name=SUPPLIER_NAME, job_title="SROI-contactpersoon",
            )
        EmailAddress.objects.update_or_create(user=user, email=SUPPLIER_EMAIL, defaults={"verified": True, "primary": True})
        Membership.objects.get_or_create(user=user, organisation=company, role=Role.SUPPLIER)
        opened = 0
        for contract in contracts:
            SupplierAccess.objects.get_or_create(
                contract=contract, user=user,
                defaults={"organisation": company, "email": SUPPLIER_EMAIL, "name": SUPPLIER_NAME},
            )
            opened += len(periods_open(contract=contract))
    stdout.write(style.SUCCESS(f"Supplier portal demo: {SUPPLIER_EMAIL} follows {len(contracts)} contracts; {opened} periods opened."))
