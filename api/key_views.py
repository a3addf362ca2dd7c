"""The organisation admin's page for API keys: create (the secret is shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import ApiTokenForm
from api.models import ApiToken
from wizzr.access import role_required
from wizzr.audit import audit_record
from wizzr.models import Role


def _page(request: HttpRequest, form: ApiTokenForm, *, secret: str | None = None, status: int = 200) -> HttpResponse:
    tokens = ApiToken.objects.filter(organisation=request.organisation).select_related("created_by")
    return render(
        request,
        "api/key_list.html",
        {"form": form, "tokens": tokens, "secret": secret, "now": timezone.now()},
        status=status,
    )


@login_required
@role_required(Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    with transaction.atomic():
        token, secret = ApiToken.issue(
            organisation=request.organisation, name=form.cleaned_data["name"], by=request.user,
            expires_at=form.expires_at(),
        )
        audit_record(
            action="api_token.created", actor=request.user, organisation=request.organisation, obj=token,
            request=request, detail={"prefix": token.prefix},
        )
    # Rendered, not redirected: the secret is never stored, not even in the session.
    return _page(request, ApiTokenForm(), secret=secret)


@login_required
@role_required(Role.ORG_ADMIN)
@require_POST
def key_revoke(request: HttpRequest, uuid) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(organisation=request.organisation), uuid=uuid)
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                action="api_token.revoked", actor=request.user, organisation=request.organisation, obj=token,
                request=request, detail={"prefix": token.prefix},
            )
        messages.success(request, _("De API-sleutel %(name)s is ingetrokken.") % {"name": token.name})
    return redirect("api:keys")
