"""Audit receivers for account events."""

from allauth.account.signals import user_logged_in as allauth_logged_in
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from wizzr.audit import audit_record
from wizzr.models import AuditEvent


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
