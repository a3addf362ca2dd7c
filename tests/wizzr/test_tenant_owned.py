"""Tenant-owned models share one definition of their owner (wizzr.models.TenantOwned), and the models
match their migrations."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from wizzr.models import Organisation, TenantOwned, TenantQuerySet


@pytest.mark.django_db
def test_the_models_match_their_migrations():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits with 1 on a change
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize(
    "label", ["monitoring.Agreement", "monitoring.Realisation", "monitoring.Settlement", "portal.ReportingPeriod"]
)
def test_a_tenant_owned_model_has_the_shared_owner_and_a_tenant_queryset(label):
    model = apps.get_model(label)
    assert issubclass(model, TenantOwned)
    field = model._meta.get_field("organisation")
    assert field.related_model is Organisation
    assert field.remote_field.on_delete is models.PROTECT
    assert isinstance(model.objects.all(), TenantQuerySet)
