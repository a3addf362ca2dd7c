from django import template

from monitoring.access import is_coordinator_of
from portal.models import ReportingPeriod, Settlement, SupplierAccess

register = template.Library()


@register.inclusion_tag("portal/_workspace_panel.html", takes_context=True)
def supplier_panel(context, contract) -> dict:
    """The supplier side of ``contract`` for its coordinator's workspace: who has access, late reports, links."""
    return {
        "contract": contract,
        "accesses": SupplierAccess.objects.filter(contract=contract, revoked_at__isnull=True),
        "overdue": ReportingPeriod.objects.filter(contract=contract, status=ReportingPeriod.Status.OVERDUE).count(),
        "can_change": is_coordinator_of(context["request"], contract),
    }


@register.simple_tag
def settlement_of(contract):
    """The settlement (outcome, shortfall) of ``contract``, or None: ``{% settlement_of contract as settlement %}``."""
    return Settlement.objects.filter(contract=contract).first()
