from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("nieuw/", views.create, name="create"),
]
