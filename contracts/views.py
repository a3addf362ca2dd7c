from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


@login_required
def create(request: HttpRequest) -> HttpResponse:
    return render(request, "wizzr/not_yet.html", {"title": _("Start a new contract")})
