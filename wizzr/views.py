"""Core views: start screen, organisation switch, notifications, members and invitations."""

from __future__ import annotations

from uuid import UUID

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from wizzr.access import role_required
from wizzr.audit import audit_record
from wizzr.forms import InvitationForm, SetPasswordForm
from wizzr.invitations import invitation_send, token_hash
from wizzr.models import AuditEvent, Invitation, Membership, Role, User
from wizzr.tenancy import SESSION_KEY, current_organisation, current_roles, request_memberships


@login_required
def start(request: HttpRequest) -> HttpResponse:
    roles = current_roles(request)
    ctx = {
        "is_advisor": Role.ADVISOR in roles,
        "is_coordinator": Role.COORDINATOR in roles,
        "is_supplier": Role.SUPPLIER in roles,
        "is_org_admin": Role.ORG_ADMIN in roles,
    }
    return render(request, "wizzr/start.html", ctx)


def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "wizzr/accessibility.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (the cookie and the way back). A logged-in person's choice is also
    kept on their account: the e-mails and notifications they are sent follow it, and a later login
    in another browser opens the site in it (wizzr.signals.follow_account_language)."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.language != language
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("organisation", "")
    for membership in request_memberships(request):
        if str(membership.organisation.uuid) == wanted:
            request.session[SESSION_KEY] = wanted
            messages.success(request, _("U werkt nu voor %(name)s.") % {"name": membership.organisation.name})
            break
    else:
        raise Http404
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("start")
    return redirect(target)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = request.user.notifications.all()[:50]
    return render(request, "wizzr/notification_list.html", {"notifications": notifications})


@login_required
@require_POST
def notification_open(request: HttpRequest, uuid) -> HttpResponse:
    notification = get_object_or_404(request.user.notifications.all(), uuid=uuid)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications")
    return redirect(target)


def _members_ctx(organisation, form: InvitationForm) -> dict:
    """The members page: one row per person with all their roles, open invitations, the invite form."""
    people: dict[int, dict] = {}
    for membership in organisation.memberships.select_related("user").order_by("user__name", "user__email", "role"):
        row = people.setdefault(membership.user_id, {"user": membership.user, "roles": []})
        row["roles"].append(membership.get_role_display())
    invitations = organisation.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
    return {
        "members": list(people.values()),
        "invitations": invitations,
        "form": form,
        "invitation_days": settings.INVITATION_MAX_AGE_DAYS,
    }


@login_required
@role_required(Role.ORG_ADMIN)
def member_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    return render(request, "wizzr/member_list.html", _members_ctx(organisation, InvitationForm(organisation=organisation)))


@login_required
@role_required(Role.ORG_ADMIN)
@require_POST
@reauthentication_required  # giving someone a role asks for the password again; the POST resumes after it
def member_invite(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = InvitationForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return render(request, "wizzr/member_list.html", _members_ctx(organisation, form), status=400)
    invitation = invitation_send(
        organisation=organisation,
        email=form.cleaned_data["email"],
        name=form.cleaned_data["name"],
        role=form.cleaned_data["role"],
        by=request.user,
        request=request,
    )
    messages.success(request, _("De uitnodiging is verstuurd naar %(email)s.") % {"email": invitation.email})
    return redirect("members")


@login_required
@role_required(Role.ORG_ADMIN)
def member_remove(request: HttpRequest, uuid) -> HttpResponse:
    """GET asks for confirmation, POST takes away every role the person has in this organisation."""
    organisation = request.organisation
    member = get_object_or_404(User.objects.filter(memberships__organisation=organisation).distinct(), uuid=uuid)
    if member == request.user:
        messages.error(request, _("U kunt uzelf niet verwijderen."))
        return redirect("members")
    if request.method == "POST":
        # Only after the lookup: another organisation's member stays a plain 404.
        return _remove_member(request, member=member)
    return render(request, "wizzr/member_remove_form.html", {"member": member})


@reauthentication_required  # taking roles away asks for the password again; the POST resumes after it
def _remove_member(request: HttpRequest, *, member: User) -> HttpResponse:
    organisation = request.organisation
    with transaction.atomic():
        memberships = Membership.objects.select_for_update().filter(user=member, organisation=organisation)
        roles = sorted(m.role for m in memberships)
        memberships.delete()
        audit_record(
            action="member_removed",
            actor=request.user,
            organisation=organisation,
            obj=member,
            request=request,
            detail={"roles": roles},
        )
    messages.success(
        request,
        _("%(name)s heeft geen toegang meer tot %(organisation)s.")
        % {"name": member.name, "organisation": organisation.name},
    )
    return redirect("members")


AUDIT_PAGE_SIZE = 50


@login_required
@role_required(Role.ORG_ADMIN)
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log of the current organisation, newest first (BIO 8.15.01), for its organisation admins."""
    events = AuditEvent.objects.filter(organisation=request.organisation).select_related("actor").order_by("-created_at", "-pk")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "wizzr/audit_list.html", {"page": page})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an open invitation: a new user sets a password, a known user only confirms."""
    invitation = (
        Invitation.objects.filter(token_hash=token_hash(token), accepted_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("organisation")
        .first()
    )
    if invitation is None:
        return render(request, "wizzr/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = None if existing else SetPasswordForm(
        request.POST or None, user=User(email=invitation.email, name=invitation.name)
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        with transaction.atomic():
            user = existing or User.objects.create_user(
                email=invitation.email, password=form.cleaned_data["password1"], name=invitation.name
            )
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            Membership.objects.get_or_create(user=user, organisation=invitation.organisation, role=invitation.role)
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
            audit_record(
                action="invitation_accepted",
                actor=user,
                organisation=invitation.organisation,
                obj=invitation,
                request=request,
                detail={"role": invitation.role},
            )
        messages.success(request, _("Welkom bij WIZZR. Log in met uw e-mailadres en wachtwoord."))
        return redirect("account_login")
    return render(
        request,
        "wizzr/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing is not None},
        status=400 if request.method == "POST" else 200,
    )


def admin_login(request: HttpRequest) -> HttpResponse:
    """Send the admin's login to the account login page, keeping where the user wanted to go."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    return redirect_to_login(target, login_url=reverse("account_login"))


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    _audit_object_not_found(request)
    return render(request, "404.html", status=404)


def _audit_object_not_found(request: HttpRequest) -> None:
    """Record a signed-in user's 404 on a route that addresses an object by UUID (BIO: denied access).

    Whether the object exists elsewhere is not looked up: the event, like the answer, is the same for
    another tenant's object and for an id that never existed. It goes to the user's own organisation.
    """
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or not getattr(user, "is_authenticated", False):
        return
    if not any(isinstance(value, UUID) for value in match.kwargs.values()):
        return
    audit_record(
        action="object_not_found",
        actor=user,
        organisation=current_organisation(request),
        result=AuditEvent.Result.DENIED,
        request=request,
        detail={"route": match.view_name, "path": request.path[:300]},
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: context processors touch the database, which may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
