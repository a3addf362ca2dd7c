from django.conf import settings
from django.http import HttpRequest

from wizzr.tenancy import current_roles, request_memberships


def wizzr(request: HttpRequest) -> dict:
    """Header data: the current organisation, the user's other organisations and unread notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = request_memberships(request)
    organisations = list({m.organisation.pk: m.organisation for m in memberships}.values())
    return {
        "current_organisation": getattr(request, "organisation", None),
        "user_organisations": organisations,
        "current_roles": current_roles(request),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "wizzr_mfa_required": settings.WIZZR_REQUIRE_MFA,
    }
