"""A URLconf with a view that fails, for the logging tests."""

from django.urls import path


def broken(request, token):
    raise RuntimeError("kapot")


urlpatterns = [path("kapot/<str:token>/", broken)]
