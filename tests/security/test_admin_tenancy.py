"""In Django admin a contract's organisation, supplier and status are not plain fields: the
organisation changes through "Organisatie wijzigen" (password again, a reason, only to a contracting
authority, every row of the contract along, audited), the status only along the workflow."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from contracts.models import Attachment, Contract
from contracts.tenancy import contract_rows
from monitoring.models import Agreement, Assessment, ContractFollowUp, ContractStatusChange, Evidence, Realisation
from portal.models import PeriodRealisation, ReportingPeriod, SupplierAccess
from portal.services import supplier_organisation_for
from tests.factories import mark_reauthenticated
from tests.security.admin_forms import change_form_data
from wizzr.models import AuditEvent, Organisation


@pytest.fixture
def staff(client, w):
    client.force_login(w["staff"])
    mark_reauthenticated(client, w["staff"])
    return w["staff"]


def move_url(contract) -> str:
    return reverse("admin:contracts_contract_move", args=[contract.pk])


def rows_of(contract) -> dict:
    """The organisation of every row that hangs off ``contract``."""
    return {
        "attachments": set(Attachment.objects.filter(contract=contract).values_list("organisation_id", flat=True)),
        "agreements": set(Agreement.objects.filter(contract=contract).values_list("organisation_id", flat=True)),
        "realisations": set(Realisation.objects.filter(contract=contract).values_list("organisation_id", flat=True)),
        "evidence": set(Evidence.objects.filter(realisation__contract=contract).values_list("organisation_id", flat=True)),
        "assessments": set(Assessment.objects.filter(realisation__contract=contract).values_list("organisation_id", flat=True)),
        "follow_up": set(ContractFollowUp.objects.filter(contract=contract).values_list("organisation_id", flat=True)),
        "status_changes": set(ContractStatusChange.objects.filter(contract=contract).values_list("organisation_id", flat=True)),
        "periods": set(ReportingPeriod.objects.filter(contract=contract).values_list("organisation_id", flat=True)),
        "period_entries": set(PeriodRealisation.objects.filter(period__contract=contract).values_list("organisation_id", flat=True)),
    }


def test_moving_a_contract_to_a_supplier_organisation_is_refused_in_dutch_and_nothing_changes(client, staff, w):
    contract = w["contract"]
    company = supplier_organisation_for(contract=contract)
    assert company.kind == Organisation.Kind.SUPPLIER
    before = rows_of(contract)
    response = client.post(move_url(contract), {"organisation": company.pk, "reason": "Verkeerd ingevoerd"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Een inkoopcontract hoort bij een opdrachtgever; {company.name} is een opdrachtnemer." in html
    assert "Het inkoopcontract is niet overgegaan." in html
    contract.refresh_from_db()
    assert (contract.organisation, contract.status) == (w["arnhem"], Contract.Status.IN_PROGRESS)
    assert rows_of(contract) == before
    assert not AuditEvent.objects.filter(action="contract_organisation_changed").exists()


def test_a_move_asks_for_the_password_again_before_anything_changes(client, w):
    client.force_login(w["staff"])
    response = client.post(move_url(w["contract"]), {"organisation": w["renkum"].pk, "reason": "Herindeling"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    w["contract"].refresh_from_db()
    assert w["contract"].organisation == w["arnhem"]
    assert not AuditEvent.objects.filter(action="contract_organisation_changed").exists()


def test_a_move_needs_a_reason(client, staff, w):
    response = client.post(move_url(w["contract"]), {"organisation": w["renkum"].pk, "reason": "  "})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    w["contract"].refresh_from_db()
    assert w["contract"].organisation == w["arnhem"]


def test_a_contract_moves_with_every_row_that_carries_its_organisation_and_the_move_is_audited(client, staff, w):
    contract, arnhem, renkum = w["contract"], w["arnhem"], w["renkum"]
    assert set().union(*rows_of(contract).values()) == {arnhem.pk}
    form = client.get(move_url(contract)).content.decode()
    assert "Organisatie wijzigen" in form and "Gemeente Renkum (opdrachtgever)" in form
    response = client.post(move_url(contract), {"organisation": renkum.pk, "reason": "Herindeling van de gemeenten"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:contracts_contract_change", args=[contract.pk])
    contract.refresh_from_db()
    assert (contract.organisation, contract.status) == (renkum, Contract.Status.IN_PROGRESS)
    after = {name: orgs for name, orgs in rows_of(contract).items() if orgs}  # nothing has been assessed yet
    assert after == {name: {renkum.pk} for name in rows_of(contract) if name != "assessments"}
    # Supplier access belongs to the supplier's company and stays with it.
    assert SupplierAccess.objects.get(pk=w["access"].pk).organisation.kind == Organisation.Kind.SUPPLIER
    events = AuditEvent.objects.filter(action="contract_organisation_changed", object_id=str(contract.uuid))
    assert {e.organisation for e in events} == {arnhem, renkum}
    for event in events:
        assert event.actor == w["staff"]
        assert event.detail["old"] == {"uuid": str(arnhem.uuid), "name": "Gemeente Arnhem"}
        assert event.detail["new"] == {"uuid": str(renkum.uuid), "name": "Gemeente Renkum"}
        assert event.detail["reason"] == "Herindeling van de gemeenten"
        assert event.detail["moved"]["monitoring.Realisation"] == 1
    # The new tenant sees it, the old one gets 404.
    client.force_login(w["bob"])
    assert client.get(reverse("monitoring:contract", args=[contract.uuid])).status_code == 200
    client.force_login(w["alice"])
    assert client.get(reverse("monitoring:contract", args=[contract.uuid])).status_code == 404


def test_a_contract_does_not_move_to_an_organisation_with_the_same_contract_number(client, staff, w):
    from tests.contracts.factories import ContractFactory

    ContractFactory(organisation=w["renkum"], contract_number=w["contract"].contract_number.lower())
    response = client.post(move_url(w["contract"]), {"organisation": w["renkum"].pk, "reason": "Herindeling"})
    assert "Gemeente Renkum heeft al een inkoopcontract met nummer INK-2026-0042." in response.content.decode()
    w["contract"].refresh_from_db()
    assert w["contract"].organisation == w["arnhem"]


def test_the_change_form_shows_organisation_supplier_and_status_read_only_with_the_way_to_change_them(client, staff, w):
    contract = w["contract"]
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    response = client.get(url)
    html = response.content.decode()
    for field in ("organisation", "supplier", "status"):
        assert f'name="{field}"' not in html, field
    assert move_url(contract) in html
    assert reverse("monitoring:workspace", args=[contract.uuid]) in html
    assert "Dubbele opdrachtnemers voegt u samen in het register." in html
    data = change_form_data(
        response, organisation=str(w["renkum"].pk), status=Contract.Status.DRAFT, supplier=str(w["renkum_contract"].supplier_id)
    )
    assert client.post(url, data).status_code == 302
    contract.refresh_from_db()
    assert (contract.organisation, contract.status) == (w["arnhem"], Contract.Status.IN_PROGRESS)


def test_admin_neither_adds_nor_bulk_deletes_contracts_and_deletes_only_a_concept(client, staff, w):
    assert client.get(reverse("admin:contracts_contract_add")).status_code == 403
    assert "delete_selected" not in client.get(reverse("admin:contracts_contract_changelist")).content.decode()
    running = reverse("admin:contracts_contract_delete", args=[w["contract"].pk])
    assert client.post(running, {"post": "yes"}).status_code == 403
    assert Contract.objects.filter(pk=w["contract"].pk).exists()
    draft = w["draft"]
    assert client.post(reverse("admin:contracts_contract_delete", args=[draft.pk]), {"post": "yes"}).status_code == 302
    assert not Contract.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.get(action="contract_deleted", object_id=str(draft.uuid)).actor == w["staff"]


# Rows whose organisation is not the contract's own: they stay where they are.
NOT_THE_CONTRACTS = {
    "portal.SupplierAccess": "the supplier's company",
    "knowledgebase.HelpRequest": "the asker's organisation",
    "knowledgebase.HelpRequestReply": "the asker's organisation",
    "knowledgebase.HelpRequestAttachment": "the asker's organisation",
}


def _reaches_contract(model, depth: int = 2) -> bool:
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is Contract:
            return True
        if depth > 1 and field.is_relation and field.related_model not in (None, Organisation) and field.related_model is not model:
            if field.related_model._meta.app_label in ("contracts", "monitoring", "portal", "knowledgebase") and _reaches_contract(field.related_model, depth - 1):
                return True
    return False


def test_every_model_that_carries_a_contracts_organisation_moves_with_the_contract():
    registered = {m._meta.label for m in contract_rows()} | {"contracts.Attachment"}
    expected = {
        model._meta.label
        for model in apps.get_models()
        if model is not Contract
        and any(f.name == "organisation" and f.related_model is Organisation for f in model._meta.concrete_fields)
        and _reaches_contract(model)
    }
    assert expected - set(NOT_THE_CONTRACTS) == registered
