from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("nieuw/", views.create, name="create"),
    path("importeren/", views.import_start, name="import_start"),
    path("importeren/sjabloon.<str:fmt>", views.import_template, name="import_template"),
    path("importeren/<uuid:uuid>/", views.import_batch, name="import_batch"),
    path("importeren/<uuid:uuid>/voortgang/", views.import_progress, name="import_progress"),
    path("importeren/<uuid:uuid>/ongedaan-maken/", views.import_undo, name="import_undo"),
    path("nieuw/contactpersonen/", views.contact_persons, name="contact_persons"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/wijzigen/", views.edit, name="edit"),
    path("<uuid:uuid>/verwijderen/", views.delete, name="delete"),
    path("<uuid:uuid>/bijlagen/", views.attachments, name="attachments"),
    path("<uuid:uuid>/bijlagen/<uuid:attachment_uuid>/", views.attachment_download, name="attachment_download"),
    path("<uuid:uuid>/bijlagen/<uuid:attachment_uuid>/verwijderen/", views.attachment_remove, name="attachment_remove"),
    path("<uuid:uuid>/overdragen/", views.hand_over, name="hand_over"),
    path("<uuid:uuid>/overgedragen/", views.handed_over, name="handed_over"),
]
