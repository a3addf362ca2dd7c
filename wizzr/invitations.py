"""Invitations to join an organisation: one way to send them, from the members page and from the admin.

Only a hash of the token is stored; the link in the e-mail carries the token itself. Sending again
gives the invitation a new token and expiry, so the link of an earlier e-mail stops working.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wizzr.audit import audit_record
from wizzr.models import Invitation, Organisation, User
from wizzr.notifications import notify


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(invitation: Invitation) -> str:
    """Give ``invitation`` a fresh token and expiry (unsaved); return the token for the link."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    return token


def _queue_mail(invitation: Invitation, token: str, by: User) -> None:
    # The invitee may have no account yet: an unsaved user carries the address and the name.
    invitee = User(email=invitation.email, name=invitation.name)
    notify(
        organisation=invitation.organisation,
        recipients=[invitee],
        template="invitation",
        context={
            "organisation": invitation.organisation.name,
            "name": invitation.name,
            "invited_by": by.name or by.email,
            "role": str(invitation.get_role_display()),
            "url": reverse("invitation_accept", args=[token]),
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
        in_app=False,
    )


def invitation_send(
    *, organisation: Organisation, email: str, name: str, role: str, by: User, request: HttpRequest | None = None
) -> Invitation:
    """Invite ``email`` to ``organisation`` with ``role``: store the invitation (valid for
    INVITATION_MAX_AGE_DAYS, ``by`` recorded as the inviter), queue the e-mail through the outbox
    and write an audit event, in one transaction."""
    with transaction.atomic():
        invitation = Invitation(organisation=organisation, email=email, name=name, role=role, invited_by=by)
        token = _new_token(invitation)
        invitation.save()
        _queue_mail(invitation, token, by)
        audit_record(
            action="member_invited",
            actor=by,
            organisation=organisation,
            obj=invitation,
            request=request,
            detail={"role": invitation.role},
        )
    return invitation


class InvitationError(Exception):
    """The invitation cannot be sent again; ``message`` says why (Dutch)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def invitation_resend(*, invitation: Invitation, by: User, request: HttpRequest | None = None) -> Invitation:
    """Send an open or expired invitation again with a new token and expiry; the old link stops working.

    Raises ``InvitationError`` for an invitation that was already accepted.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError(_("Deze uitnodiging is al geaccepteerd."))
        token = _new_token(invitation)
        invitation.invited_by = invitation.invited_by or by
        invitation.save(update_fields=["token_hash", "expires_at", "invited_by"])
        _queue_mail(invitation, token, by)
        audit_record(
            action="member_invitation_resent",
            actor=by,
            organisation=invitation.organisation,
            obj=invitation,
            request=request,
            detail={"role": invitation.role},
        )
    return invitation
