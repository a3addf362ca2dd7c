"""Receivers for account events: audit records and the start of the absolute session limit."""

import time

from allauth.account.signals import user_logged_in as allauth_logged_in
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from wizzr.audit import audit_record
from wizzr.middleware import SESSION_STARTED
from wizzr.models import AuditEvent


@receiver(user_logged_in)
def stamp_session_start(sender, request, user, **kwargs):
    # The absolute session limit counts from the moment of login, not from the first page after it.
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = int(time.time())


@receiver(allauth_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(action="login", actor=user, obj=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(action="login_failed", result=AuditEvent.Result.FAILURE, request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action="logout", actor=user, obj=user, request=request)
