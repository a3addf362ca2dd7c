"""Races that need real concurrency: two requests with their own database connections at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from contracts import services
from contracts.models import Contract
from tests.contracts.factories import SupplierFactory
from wizzr.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_contract_number_saved_twice_at_the_same_moment_stores_one_and_explains_the_other(
    alice, monkeypatch
):
    """Both requests pass the form's clash check before either inserts; the database constraint decides."""
    supplier = SupplierFactory(legal_name="Heijmans Infra B.V.")
    both_validated = threading.Barrier(2, timeout=10)
    save_form = services._save_form

    def save_after_both_validated(form, contract):
        both_validated.wait()
        return save_form(form, contract)

    monkeypatch.setattr(services, "_save_form", save_after_both_validated)
    data = {
        "contract_number": "INK-2026-RACE", "title": "Groenonderhoud", "start_date": "2026-03-01",
        "end_date": "2027-02-28", "supplier": str(supplier.uuid), "sroi_percentage": "5",
    }
    responses = []

    def submit():
        client = Client()
        client.force_login(alice)
        try:
            responses.append(client.post(reverse("contracts:create"), data))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(r.status_code for r in responses) == [302, 400]
    refused = next(r for r in responses if r.status_code == 400)
    assert "contract_number" in refused.context["form"].errors
    assert Contract.objects.filter(contract_number="INK-2026-RACE").count() == 1
    assert AuditEvent.objects.filter(action="contract_created").count() == 1
