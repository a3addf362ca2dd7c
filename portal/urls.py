from django.urls import path

from portal import lasting_views, views

app_name = "portal"

contract = "contracten/<uuid:uuid>/"
follow_up = "opvolging/<uuid:uuid>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("te-doen/", views.todo, name="todo"),
    path(contract, views.contract_detail, name="contract"),
    path(contract + "rapportages/<uuid:period_uuid>/", views.period_detail, name="period"),
    path(contract + "rapportages/<uuid:period_uuid>/indienen/", views.period_submit, name="period_submit"),
    path(contract + "rapportages/<uuid:period_uuid>/realisaties/nieuw/", views.realisation_create, name="realisation_create"),
    path(contract + "realisaties/waarde/", views.realisation_preview, name="realisation_preview"),
    path(contract + "realisaties/<uuid:realisation_uuid>/", views.realisation_detail, name="realisation"),
    path(contract + "realisaties/<uuid:realisation_uuid>/wijzigen/", views.realisation_update, name="realisation_update"),
    path(contract + "bewijs/<uuid:evidence_uuid>/", views.evidence_download, name="evidence"),
    path(contract + "bewijs/<uuid:evidence_uuid>/verwijderen/", views.evidence_delete, name="evidence_delete"),
    path(contract + "blijvend-resultaat/<uuid:outcome_uuid>/", lasting_views.lasting_outcome, name="lasting_outcome"),
    path("sociale-bedrijven/", views.social_company_search, name="social_company_search"),
    path("te-laat/", views.overdue, name="overdue"),
    path(follow_up + "uitnodigen/", views.invite, name="invite"),
    path(follow_up + "toegang/<uuid:access_uuid>/intrekken/", views.access_revoke, name="access_revoke"),
    path(follow_up + "eindresultaat/", views.settlement, name="settlement"),
]
