"""Monitoring's slots for the apps that build on it (monitoring.panels), and the contract's outcome in
its one place (Settlement) when the coordinator closes a contract."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from monitoring import panels, services
from monitoring.models import Settlement
from monitoring.services import WorkflowError
from tests.monitoring.factories import agreement_for, realisation_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """Monitoring's registry as the installed apps filled it, restored after the test."""
    monkeypatch.setattr(panels, "_panels", dict(panels._panels))
    monkeypatch.setattr(panels, "_filters", dict(panels._filters))
    monkeypatch.setattr(panels, "_timeline_actions", dict(panels._timeline_actions))
    return panels


def test_a_registered_panel_renders_on_the_workspace_and_not_on_the_buyer_page(client, carol, alice, accepted, registry):
    seen = []

    def render(*, request, contract):
        seen.append((request.user.pk, contract.pk))
        return mark_safe('<section data-testid="test-panel">&lt;panel&gt;</section>')  # as render_to_string gives

    registry.register_contract_panel("test", render, pages=(panels.WORKSPACE,))
    client.force_login(carol)
    html = client.get(reverse("monitoring:workspace", args=[accepted.uuid])).content.decode()
    assert '<section data-testid="test-panel">&lt;panel&gt;</section>' in html
    assert seen == [(carol.pk, accepted.pk)]
    client.force_login(alice)
    html = client.get(reverse("monitoring:contract", args=[accepted.uuid])).content.decode()
    assert "test-panel" not in html


def test_a_panel_that_returns_plain_text_is_escaped(client, carol, accepted, registry):
    registry.register_contract_panel("test", lambda **kwargs: "<b>not html</b>", pages=(panels.WORKSPACE,))
    client.force_login(carol)
    html = client.get(reverse("monitoring:workspace", args=[accepted.uuid])).content.decode()
    assert "&lt;b&gt;not html&lt;/b&gt;" in html
    assert "<b>not html</b>" not in html


def test_a_panel_for_an_unknown_page_is_refused(registry):
    with pytest.raises(ValueError):
        registry.register_contract_panel("test", lambda **kwargs: "", pages=("nowhere",))


def test_a_filter_nobody_answers_matches_no_contract(accepted, registry):
    from contracts.models import Contract

    assert list(registry.contracts_where("unknown", Contract.objects.all())) == []
    registry.register_contract_filter("mine", lambda: Contract.objects.filter(pk=accepted.pk).values("pk"))
    assert list(registry.contracts_where("mine", Contract.objects.all())) == [accepted]


def test_the_installed_portal_fills_the_slots():
    assert "supplier" in panels._panels and "reports_overdue" in panels._filters
    assert {"supplier_invited", "supplier_access_revoked", "reporting_period_submitted"} <= set(panels.timeline_actions())


def test_monitoring_imports_nothing_of_the_portal():
    """Python modules of monitoring name no portal module; its templates load and include nothing of it."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in (root / "monitoring").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [f"{path.relative_to(root)}: {name}" for name in names if name.split(".")[0] == "portal"]
    for path in (root / "templates" / "monitoring").rglob("*.html"):
        text = path.read_text()
        if "portal/" in text or "portal_tags" in text or "'portal:" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_closing_records_the_outcome_with_obligation_approved_value_and_shortfall(carol, accepted, per_year_block):
    agreement = agreement_for(accepted, per_year_block, by=carol, persons=1, hours_per_week=Decimal("24"), months=Decimal("12"))
    services.agreements_record(contract=accepted, by=carol)
    realisation = realisation_for(accepted, agreement=agreement, by=carol, hours_per_week=Decimal("36"), candidate_reference="A")
    services.realisation_assess(realisation=realisation, decision="approved", by=carol)
    settlement = services.contract_close(contract=accepted, outcome="partly", reason="Te weinig plekken", by=carol)
    settlement.refresh_from_db()
    approved = services.approved_value(accepted)
    assert approved > 0
    assert (settlement.state, settlement.outcome, settlement.final_outcome) == ("settled", "partly", "partly")
    assert settlement.obligation == Decimal("12500.00")
    assert settlement.approved == settlement.final_approved == approved
    assert settlement.shortfall == settlement.final_shortfall == max(Decimal("12500.00") - approved, Decimal("0.00"))
    assert settlement.reason == "Te weinig plekken" and settlement.settled_by == carol
    assert Settlement.objects.filter(contract=accepted).count() == 1
    with pytest.raises(WorkflowError):
        services.contract_close(contract=accepted, outcome="realised", reason="", by=carol)
    assert Settlement.objects.get(contract=accepted).final_outcome == "partly"
