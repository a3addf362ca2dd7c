"""Registry views: the typeahead endpoint and the add-supplier dialog."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def search(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


@login_required
def add(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
