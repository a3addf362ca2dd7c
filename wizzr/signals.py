"""Receivers for account events: audit records, the start of the absolute session limit, and session keys
that change or end with a change of rights."""

import time

from allauth.account import signals as account_signals
from allauth.account.signals import user_logged_in as allauth_logged_in
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation

from wizzr import login_throttle
from wizzr.audit import audit_record
from wizzr.middleware import SESSION_STARTED
from wizzr.models import AuditEvent, Membership, User
from wizzr.session_control import end_sessions_of
from wizzr.tenancy import current_organisation


@receiver(user_logged_in)
def stamp_session_start(sender, request, user, **kwargs):
    # The absolute session limit counts from the moment of login, not from the first page after it.
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = int(time.time())


def home_organisation(request, user):
    """The organisation an account event of ``user`` is filed under, so its admins can read it:
    the one the user works for in this session, else the first of their memberships."""
    if request is not None and getattr(request, "user", None) == user and hasattr(request, "session"):
        organisation = current_organisation(request)
        if organisation is not None:
            return organisation
    membership = (
        Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name", "role").first()
    )
    return membership.organisation if membership else None


def audit_account_event(action: str, *, request, user, result: str = AuditEvent.Result.SUCCESS, obj=None, detail=None):
    audit_record(
        action=action,
        actor=user,
        organisation=home_organisation(request, user) if user is not None else None,
        obj=obj if obj is not None else user,
        result=result,
        request=request,
        detail=detail,
    )


@receiver(allauth_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_account_event("login", request=request, user=user)


@receiver(allauth_logged_in)
def follow_account_language(sender, request, user, response=None, **kwargs):
    """The site opens in the language on the account (set by the language switch), in any browser.
    An account without one takes the language it logs in with, which its e-mails then follow."""
    if user.language:
        if response is not None and user.language != translation.get_language():
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return
    language = translation.get_language()
    if language in dict(settings.LANGUAGES):
        user.language = language
        User.objects.filter(pk=user.pk).update(language=language)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # The address typed is personal data (and may be someone else's): it is not recorded.
    audit_record(action="login_failed", result=AuditEvent.Result.FAILURE, request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_account_event("logout", request=request, user=user)


# --- Password and e-mail address ------------------------------------------------------------------


@receiver(account_signals.password_changed)
def audit_password_changed(sender, request, user, **kwargs):
    audit_account_event("password_changed", request=request, user=user)


@receiver(account_signals.password_set)
def audit_password_set(sender, request, user, **kwargs):
    audit_account_event("password_set", request=request, user=user)


@receiver(account_signals.password_reset)
def audit_password_reset(sender, request, user, **kwargs):
    audit_account_event("password_reset", request=request, user=user)


@receiver(account_signals.email_added)
def audit_email_added(sender, request, user, **kwargs):
    audit_account_event("email_added", request=request, user=user)


@receiver(account_signals.email_removed)
def audit_email_removed(sender, request, user, **kwargs):
    audit_account_event("email_removed", request=request, user=user)


@receiver(account_signals.email_changed)
def audit_email_changed(sender, request, user, **kwargs):
    audit_account_event("email_changed", request=request, user=user)


# --- MFA --------------------------------------------------------------------------------------------
# The authenticator's type goes into the detail; its secret, codes and names never do.

MFA_ADDED = {Authenticator.Type.TOTP: "mfa_totp_activated", Authenticator.Type.RECOVERY_CODES: "mfa_recovery_codes_generated"}
MFA_REMOVED = {Authenticator.Type.TOTP: "mfa_totp_deactivated", Authenticator.Type.RECOVERY_CODES: "mfa_recovery_codes_removed"}


@receiver(mfa_signals.authenticator_added)
def audit_authenticator_added(sender, request, user, authenticator, **kwargs):
    action = MFA_ADDED.get(authenticator.type, "mfa_authenticator_added")
    audit_account_event(action, request=request, user=user, detail={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def audit_authenticator_removed(sender, request, user, authenticator, **kwargs):
    action = MFA_REMOVED.get(authenticator.type, "mfa_authenticator_removed")
    audit_account_event(action, request=request, user=user, detail={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def audit_authenticator_reset(sender, request, user, authenticator, **kwargs):
    # allauth resets only recovery codes: a new set replaces the old one.
    audit_account_event("mfa_recovery_codes_regenerated", request=request, user=user, detail={"type": authenticator.type})


@receiver(mfa_signals.authenticator_used)
def audit_authenticator_used(sender, request, user, authenticator, reauthenticated=False, **kwargs):
    # A TOTP code at login is part of the login event; a recovery code used up is worth its own row.
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        audit_account_event(
            "mfa_recovery_code_used", request=request, user=user, detail={"reauthentication": bool(reauthenticated)}
        )


@receiver(mfa_signals.authentication_failed)
def audit_mfa_failed(sender, request, user, authenticator=None, reauthentication=False, **kwargs):
    audit_account_event(
        "mfa_failed",
        request=request,
        user=user,
        result=AuditEvent.Result.FAILURE,
        detail={"type": getattr(authenticator, "type", ""), "reauthentication": bool(reauthentication)},
    )


# --- Session keys on a change of rights ----------------------------------------------------------------
# A session id that was valid before a change of rights is not valid after it: whoever had copied it
# (a shared computer, a leaked log) keeps neither the old rights nor the new ones.


@receiver(account_signals.authentication_step_completed)
def rotate_session_on_reauthentication(sender, request, reauthenticated=False, **kwargs):
    # allauth records a password or MFA reauthentication as an authentication step of the session.
    if reauthenticated and request is not None and hasattr(request, "session"):
        request.session.cycle_key()


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
@receiver(mfa_signals.authenticator_reset)
def rotate_session_on_mfa_change(sender, request, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.cycle_key()


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def end_sessions_on_role_change(sender, instance, **kwargs):
    # A role given or taken away ends the person's sessions; when they change their own rights, the
    # session of this request moves to a new key instead (wizzr.session_control.end_sessions_of).
    end_sessions_of(instance.user_id)


@receiver(post_save, sender=User)
def end_sessions_of_deactivated_user(sender, instance, created, **kwargs):
    # The backends already refuse an inactive user's session; deleting the sessions makes it final.
    if not created and not instance.is_active:
        end_sessions_of(instance.pk, keep_current=False)


@receiver(account_signals.password_reset)
def clear_login_delay_on_password_reset(sender, request, user, **kwargs):
    # The owner proved access to the mailbox: failed logins against the account no longer count.
    addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)}
    for address in addresses:
        if address:
            login_throttle.clear_account(address)
