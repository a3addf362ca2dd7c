from django.urls import path

from suppliers import views

app_name = "suppliers"

urlpatterns = [
    path("zoeken/", views.search, name="search"),
    path("toevoegen/", views.add, name="add"),
]
