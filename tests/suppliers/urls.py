"""A test-only page with a form that uses SupplierField, the way the contract form will.

Used with ``@pytest.mark.urls("tests.suppliers.urls")``; nothing of it ships.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from suppliers.forms import SupplierField
from wizzr.urls import urlpatterns as wizzr_urlpatterns

PAGE = """{% extends "base.html" %}
{% block title %}Testformulier{% endblock %}
{% block head %}{{ form.media }}{% endblock %}
{% block content %}
<h1 class="utrecht-heading-1">Testformulier</h1>
{% if chosen %}<p class="utrecht-paragraph" id="chosen">Gekozen: {{ chosen.legal_name }} ({{ chosen.kvk_number }})</p>{% endif %}
<form method="post" class="utrecht-form" novalidate>
  {% csrf_token %}
  {% for field in form %}{% include "_field.html" %}{% endfor %}
  <button class="utrecht-button utrecht-button--primary-action" type="submit">Opslaan</button>
</form>
{% endblock %}
"""


class ContractLikeForm(forms.Form):
    title = forms.CharField(label="Titel")
    supplier = SupplierField(label="Uitvoerende partij")


@login_required
def supplier_form(request: HttpRequest) -> HttpResponse:
    form = ContractLikeForm(request.POST or None)
    chosen = form.cleaned_data["supplier"] if request.method == "POST" and form.is_valid() else None
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"form": form, "chosen": chosen}, request))


urlpatterns = [path("test/opdrachtnemer/", supplier_form, name="test_supplier_form"), *wizzr_urlpatterns]
