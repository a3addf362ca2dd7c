from django.urls import path

from knowledgebase import views

app_name = "knowledgebase"

urlpatterns = [
    path("", views.index, name="index"),
    path("categorie/<slug:slug>/", views.category_detail, name="category"),
    path("artikel/<slug:slug>/", views.article_detail, name="article"),
    path("artikel/<slug:slug>/beoordelen/", views.article_feedback, name="article_feedback"),
    path("hulpvragen/", views.help_request_list, name="help_request_list"),
    path("hulpvragen/nieuw/", views.help_request_create, name="help_request_create"),
    path("hulpvragen/contracten/", views.contract_options, name="contract_options"),
    path("hulpvragen/wijziging/<uuid:contract_uuid>/", views.change_request_create, name="change_request_create"),
    path("hulpvragen/steunpunt/", views.help_request_queue, name="help_request_queue"),
    path("hulpvragen/<uuid:uuid>/", views.help_request_detail, name="help_request_detail"),
    path("hulpvragen/<uuid:uuid>/reageren/", views.help_request_reply, name="help_request_reply"),
    path("hulpvragen/<uuid:uuid>/status/", views.help_request_status, name="help_request_status"),
    path("hulpvragen/<uuid:uuid>/wijziging-doorvoeren/", views.change_request_apply, name="change_request_apply"),
    path(
        "hulpvragen/<uuid:uuid>/bijlagen/<uuid:attachment_uuid>/",
        views.help_request_attachment,
        name="help_request_attachment",
    ),
]
