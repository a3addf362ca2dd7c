from django.contrib import admin
from django.urls import include, path

from wizzr import views

urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("organisatie/wisselen/", views.switch_organisation, name="switch_organisation"),
    path("meldingen/", views.notification_list, name="notifications"),
    path("meldingen/<uuid:uuid>/", views.notification_open, name="notification_open"),
    path("leden/", views.member_list, name="members"),
    path("leden/uitnodigen/", views.member_invite, name="member_invite"),
    path("leden/<uuid:uuid>/verwijderen/", views.member_remove, name="member_remove"),
    path("auditlog/", views.audit_list, name="audit_log"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    # Django admin logs in through the same allauth flow: its rate limits and MFA apply.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("leveranciers/", include("suppliers.urls")),
    path("contracten/", include("contracts.urls")),
    path("monitoren/", include("monitoring.urls")),
    path("kennisbank/", include("knowledgebase.urls")),
    path("leverancier/", include("portal.urls")),
    path("", include("api.urls")),
]

handler404 = "wizzr.views.not_found"
handler500 = "wizzr.views.server_error"
