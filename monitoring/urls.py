from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.individual, name="individual"),
    path("werkvoorraad/", views.work_queue, name="work_queue"),
]
