from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wizzr.admin_audit import AuditedAdminMixin
from wizzr.audit import audit_record
from wizzr.forms import AdminInvitationForm
from wizzr.invitations import InvitationError, invitation_resend, invitation_send
from wizzr.models import AuditEvent, Invitation, Membership, Notification, Organisation, OutboxMessage, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class AuditedMembershipsMixin:
    """Role changes made in the admin are audited like those of organisation admins (BIO 8.15.01):
    one event per membership added, changed or removed, filed under the membership's organisation.
    Saving asks for the password again first, as changing roles does in the organisation admin's pages."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        if request.method == "POST":
            view = reauthentication_required(view)  # the POST resumes after the password
        return view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        previous_roles = {f.instance.pk: f.initial.get("role") for f in formset.initial_forms}
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        events = [("membership_added", m, {"role": m.role}) for m in formset.new_objects]
        events += [
            ("membership_changed", m, {"role": m.role, "previous_role": previous_roles.get(m.pk)})
            for m, fields in formset.changed_objects
            if {"role", "organisation"} & set(fields)
        ]
        events += [("membership_removed", m, {"role": m.role}) for m in formset.deleted_objects]
        for action, membership, detail in events:
            audit_record(
                action=action,
                actor=request.user,
                organisation=membership.organisation,
                obj=membership.user,
                request=request,
                detail={**detail, "via": "admin"},
            )


@admin.register(User)
class UserAdmin(AuditedAdminMixin, AuditedMembershipsMixin, BaseUserAdmin):
    audit_withheld = ("email", "name", "phone", "job_title")
    ordering = ["email"]
    list_display = ["email", "name", "job_title", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    list_filter = ["is_staff", "is_active", "memberships__role"]
    inlines = [MembershipInline]
    actions = ["reset_two_step"]
    # WIZZR's rights are the roles of the memberships below; Django's own groups and permissions only
    # decide what staff may do here, and only a superuser hands those out.
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoonsgegevens"), {"fields": ("name", "phone", "job_title", "language")}),
        (_("Toegang"), {"fields": ("is_active", "is_staff", "is_superuser", "two_step")}),
        (_("Rechten in het beheer"), {"fields": ("groups", "user_permissions"), "classes": ("collapse",)}),
        (_("Datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)

    RIGHTS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
    SUPERUSER_ONLY = ("is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "two_step"]

    @admin.display(description=_("tweestapsverificatie"))
    def two_step(self, obj: User) -> str:
        totp = Authenticator.objects.filter(user=obj, type=Authenticator.Type.TOTP).first() if obj.pk else None
        if totp is None:
            return _("niet ingesteld")
        return _("ingesteld op %(date)s") % {"date": date_format(timezone.localtime(totp.created_at), "j F Y")}

    @admin.action(description=_("Tweestapsverificatie opnieuw laten instellen"), permissions=["change"])
    def reset_two_step(self, request, queryset) -> None:
        """For someone who lost their authenticator app: they set it up again at their next login."""
        for user in queryset:
            removed, _detail = Authenticator.objects.filter(user=user).delete()
            if removed:
                audit_record(action="mfa_reset", actor=request.user, obj=user, request=request, detail={"via": "admin"})
                self.message_user(
                    request,
                    _("%(name)s stelt de tweestapsverificatie opnieuw in bij de volgende keer inloggen.")
                    % {"name": user.name or user.email},
                    messages.SUCCESS,
                )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        kept = []
        for title, options in fieldsets:
            fields = [f for f in options["fields"] if f not in self.SUPERUSER_ONLY]
            if fields:
                kept.append((title, {**options, "fields": fields}))
        return kept

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = [name for name in self.RIGHTS if name in form.changed_data]
        if change and changed:
            audit_record(
                action="user_rights_changed",
                actor=request.user,
                obj=form.instance,
                request=request,
                detail={"changed": changed, "is_staff": form.instance.is_staff,
                        "is_superuser": form.instance.is_superuser, "is_active": form.instance.is_active},
            )


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, AuditedMembershipsMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "served_by", "city"]
    list_filter = ["kind"]
    search_fields = ["name", "city", "kvk_number"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations made here go out like those of an organisation admin (``wizzr.invitations``): valid
    for INVITATION_MAX_AGE_DAYS, the staff member recorded, the e-mail queued through the outbox.
    A sent invitation is not edited; it can be sent again with a new link."""

    form = AdminInvitationForm
    list_display = ["email", "name", "organisation", "role", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "name", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    actions = ["resend"]
    change_form_template = "admin/wizzr/invitation/change_form.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organisation", "email", "name", "role"]
        return ["organisation", "email", "name", "role", "invited_by", "created_at", "expires_at", "accepted_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        sent = invitation_send(
            organisation=obj.organisation, email=obj.email, name=obj.name, role=obj.role, by=request.user, request=request
        )
        for field in Invitation._meta.concrete_fields:
            setattr(obj, field.attname, getattr(sent, field.attname))
        obj._state.adding = False
        self.message_user(request, _("De uitnodiging is verstuurd naar %(email)s.") % {"email": sent.email})

    @admin.action(description=_("Opnieuw versturen"), permissions=["add"])
    def resend(self, request, queryset) -> None:
        for invitation in queryset.select_related("organisation"):
            try:
                invitation_resend(invitation=invitation, by=request.user, request=request)
            except InvitationError as error:
                self.message_user(
                    request,
                    _("Niet opnieuw verstuurd naar %(email)s: %(reason)s")
                    % {"email": invitation.email, "reason": error.message[:1].lower() + error.message[1:]},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("De uitnodiging is opnieuw verstuurd naar %(email)s; de vorige link werkt niet meer.")
                    % {"email": invitation.email},
                    messages.SUCCESS,
                )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/opnieuw-versturen/",
                self.admin_site.admin_view(self.resend_view),
                name="wizzr_invitation_resend",
            ),
            *super().get_urls(),
        ]

    def resend_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        invitation = self.get_object(request, unquote(object_id))
        if invitation is None or not self.has_view_permission(request, invitation):
            raise Http404
        if not self.has_add_permission(request):
            raise PermissionDenied
        self.resend(request, Invitation.objects.filter(pk=invitation.pk))
        return HttpResponseRedirect(reverse("admin:wizzr_invitation_change", args=[invitation.pk]))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Append-only for everyone, superusers included; the database refuses changes too (migration 0003_audit_append_only)."""

    list_display = ["created_at", "action", "result", "actor", "organisation", "object_repr", "origin"]
    list_filter = ["action", "result"]
    search_fields = ["object_repr", "actor__email"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "template", "to_email", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "title", "read_at"]
