"""The product's URLconf with a view that fails, for the error page tests."""

from django.urls import path

from wizzr.urls import handler404, handler500
from wizzr.urls import urlpatterns as product_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def broken(request):
    raise RuntimeError("kapot")


urlpatterns = [*product_urlpatterns, path("kapot/", broken)]
