"""API keys (API-sleutels): read-only access of BI tools and contract-management systems to the figures
of one organisation. Only a hash of the secret is stored; the secret is shown once, at creation."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCHEME = "wzr_"  # recognisable in logs and secret scanners; the rest is 32 random bytes, urlsafe
PREFIX_LENGTH = 8


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, *, now=None) -> ApiTokenQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "wizzr.Organisation", on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("organisatie")
    )
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=PREFIX_LENGTH + len(SCHEME), editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("aangemaakt door")
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    expires_at = models.DateTimeField(_("geldig tot"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, organisation, name: str, by, expires_at=None) -> tuple[ApiToken, str]:
        """Create a key; returns it with the secret, which is not stored and cannot be shown again."""
        secret = SCHEME + secrets.token_urlsafe(32)
        token = cls.objects.create(
            organisation=organisation,
            name=name,
            prefix=secret[: len(SCHEME) + PREFIX_LENGTH],
            key_hash=digest(secret),
            created_by=by,
            expires_at=expires_at,
        )
        return token, secret

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
