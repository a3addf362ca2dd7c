"""Every add, change and delete in Django admin is audited with the old and new values; secrets and
personal data never go into the event."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knowledgebase.models import Article
from tests.factories import mark_reauthenticated
from tests.security.admin_forms import change_form_data, changelist_form_data
from wizzr.models import AuditEvent


@pytest.fixture
def staff(client, w):
    client.force_login(w["staff"])
    mark_reauthenticated(client, w["staff"])
    return w["staff"]


def change(client, admin_name: str, obj, **changes):
    url = reverse(f"admin:{admin_name}_change", args=[obj.pk])
    response = client.post(url, change_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return AuditEvent.objects.get(action="admin_changed", object_id=str(getattr(obj, "uuid", obj.pk)))


def test_a_contract_change_in_admin_is_audited_with_old_and_new_values(client, staff, w):
    event = change(client, "contracts_contract", w["contract"], title="Onderhoud groen", department="Wijken")
    assert (event.actor, event.organisation, event.origin) == (w["staff"], w["arnhem"], "127.0.0.1")
    assert event.detail["via"] == "admin"
    assert event.detail["fields"] == {
        "title": {"old": "Onderhoud openbare ruimte", "new": "Onderhoud groen"},
        "department": {"old": "", "new": "Wijken"},
    }


def test_personal_data_in_a_contract_change_is_named_but_not_written(client, staff, w):
    event = change(client, "contracts_contract", w["contract"], supplier_contact_name="Piet de Bouwer")
    assert event.detail["fields"] == {"supplier_contact_name": {"withheld": True}}
    assert "Piet" not in str(event.detail) and "Sanne" not in str(event.detail)


def test_a_supplier_change_in_admin_is_audited_with_old_and_new_values(client, staff, w):
    supplier = w["contract"].supplier
    old_city = supplier.city
    event = change(client, "suppliers_supplier", supplier, city="Velp")
    assert event.detail["fields"]["city"] == {"old": old_city, "new": "Velp"}
    assert event.organisation is None


def test_an_article_change_in_admin_is_audited_also_from_the_list(client, staff, w):
    article = w["article"]
    event = change(client, "knowledgebase_article", article, title_nl="Wat is Social Return?")
    assert event.detail["fields"]["title_nl"] == {"old": "Wat is SROI?", "new": "Wat is Social Return?"}
    # The list edits "gepubliceerd" in place.
    changelist = reverse("admin:knowledgebase_article_changelist")
    response = client.get(changelist)
    form = next(f for f in response.context["cl"].formset.forms if f.instance.pk == article.pk)
    was = Article.objects.get(pk=article.pk).is_published
    data = changelist_form_data(response)
    if was:
        del data[form.add_prefix("is_published")]
    else:
        data[form.add_prefix("is_published")] = "on"
    assert client.post(changelist, data).status_code == 302
    latest = AuditEvent.objects.filter(action="admin_changed", object_id=str(getattr(article, "uuid", article.pk))).order_by("-pk").first()
    assert latest.detail["fields"] == {"is_published": {"old": was, "new": not was}}


def test_adding_and_deleting_in_admin_are_audited(client, staff, w):
    response = client.post(reverse("admin:knowledgebase_category_add"), {
        "slug": "nieuw", "name_nl": "Nieuw", "name_en": "New", "position": "9",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = AuditEvent.objects.get(action="admin_added")
    assert added.object_repr == "Nieuw" and added.detail["fields"]["name_nl"] == {"new": "Nieuw"}
    from knowledgebase.models import Category

    category = Category.objects.get(slug="nieuw")
    assert client.post(reverse("admin:knowledgebase_category_delete", args=[category.pk]), {"post": "yes"}).status_code == 302
    deleted = AuditEvent.objects.get(action="admin_deleted")
    assert (deleted.object_repr, deleted.object_id, deleted.actor) == ("Nieuw", str(category.uuid), w["staff"])


def test_a_user_change_in_admin_keeps_secrets_and_personal_data_out_of_the_event(client, staff, w):
    alice = w["alice"]
    event = change(client, "wizzr_user", alice, name="Alice van Dijk", job_title="Inkoper")
    assert event.detail["fields"] == {"name": {"withheld": True}, "job_title": {"withheld": True}}
    assert "pbkdf2" not in str(event.detail) and "Dijk" not in str(event.detail)
