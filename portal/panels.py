"""What the supplier portal contributes to monitoring's pages, registered in ``PortalConfig.ready()``
(``monitoring.panels``): the supplier panel of the coordinator's workspace, the contracts whose
supplier report is late (for the work queue filter) and the portal's events on a contract's timeline."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.access import is_coordinator_of
from monitoring.panels import WORKSPACE, register_contract_filter, register_contract_panel, register_timeline_action
from portal.models import ReportingPeriod, SupplierAccess


def supplier_panel(*, request: HttpRequest, contract) -> str:
    """The supplier side of ``contract`` for its coordinator's workspace: who has access, late reports, links."""
    return render_to_string(
        "portal/_workspace_panel.html",
        {
            "contract": contract,
            "accesses": SupplierAccess.objects.filter(contract=contract, revoked_at__isnull=True),
            "overdue": ReportingPeriod.objects.filter(contract=contract, status=ReportingPeriod.Status.OVERDUE).count(),
            "can_change": is_coordinator_of(request, contract),
        },
        request=request,
    )


def contracts_with_overdue_reports() -> QuerySet:
    return ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OVERDUE).values("contract_id")


def _invited_person(*, event, contract) -> str:
    return event.object_repr.split(" → ", 1)[0]  # "<e-mail address> → <contract>"


def _submitted_period(*, event, contract) -> str:
    period = event.object_repr.removeprefix(contract.contract_number).strip()
    return f"{period} ({_('niets te melden')})" if (event.detail or {}).get("nothing_to_report") else period


def register() -> None:
    register_contract_panel("supplier", supplier_panel, pages=(WORKSPACE,))
    register_contract_filter("reports_overdue", contracts_with_overdue_reports)
    register_timeline_action("supplier_invited", gettext_lazy("Opdrachtnemer uitgenodigd"), detail=_invited_person)
    register_timeline_action(
        "supplier_access_revoked", gettext_lazy("Toegang van de opdrachtnemer ingetrokken"), detail=_invited_person
    )
    register_timeline_action(
        "reporting_period_submitted", gettext_lazy("Rapportageperiode ingediend"), detail=_submitted_period
    )
