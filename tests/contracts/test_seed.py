import pytest
from django.core.management import call_command

from contracts.models import Contract
from wizzr.models import Notification, Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_has_concepts_and_handed_over_contracts_and_can_run_twice(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.WIZZR_SEED_HOOKS = ["contracts.seed.seed_demo"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))
    arnhem = Organisation.objects.get(slug="gemeente-arnhem")
    assert Contract.objects.filter(organisation=arnhem, status="draft").count() == 2
    assert Contract.objects.filter(organisation=arnhem, status="handed_over").count() == 4
    assert Contract.objects.filter(attachments__isnull=False).distinct().count() == 6
    assert Notification.objects.filter(user__email="regisseur@steunpunt-mg.example").count() == 7
    total = Contract.objects.count()
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))
    assert Contract.objects.count() == total == 14
