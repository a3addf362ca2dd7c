"""Django admin as WIZZR's beheer: the product's name, and only the models an administrator works with.

``WizzrAdminConfig`` takes the place of ``django.contrib.admin`` in INSTALLED_APPS. allauth registers
its e-mail address and authenticator models; WIZZR keeps e-mail addresses on the user, and an
administrator resets someone's two-step verification on the user's page (``wizzr.admin``).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class WizzrAdminSite(admin.AdminSite):
    site_header = _("WIZZR beheer")
    site_title = _("WIZZR beheer")
    index_title = _("Overzicht")


class WizzrAdminConfig(AdminConfig):
    default_site = "wizzr.admin_site.WizzrAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscover: every app's admin module is loaded now
        from allauth.account.models import EmailAddress, EmailConfirmation
        from allauth.mfa.models import Authenticator

        for model in (EmailAddress, EmailConfirmation, Authenticator):
            if self.module.site.is_registered(model):
                self.module.site.unregister(model)
