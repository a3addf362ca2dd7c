from django.urls import path

from api import key_views, views

app_name = "api"

urlpatterns = [
    path("api-sleutels/", key_views.key_list, name="keys"),
    path("api-sleutels/<uuid:uuid>/intrekken/", key_views.key_revoke, name="key_revoke"),
    path("api/v1/openapi.json", views.openapi_document, name="openapi"),
    path("api/v1/contracts/", views.contract_list, name="contracts"),
    path("api/v1/contracts/<uuid:uuid>/", views.contract_detail, name="contract"),
    path("api/v1/contracts/<uuid:uuid>/agreements/", views.agreement_list, name="agreements"),
    path("api/v1/contracts/<uuid:uuid>/realised/", views.realised, name="realised"),
    path("api/v1/annual-figures/", views.annual_figures, name="annual_figures"),
]
