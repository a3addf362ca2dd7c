"""Merging duplicates: the service and the admin action."""

import pytest
from django.urls import reverse

from contracts.models import Contract
from suppliers.models import Supplier
from suppliers.search import search_suppliers
from suppliers.services import MergeError, supplier_merge, supplier_references
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.suppliers.factories import SupplierFactory
from wizzr.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True)


@pytest.fixture
def pair():
    keep = SupplierFactory(legal_name="Bouwgroep Rijn B.V.", kvk_number="11110000", branch_number="000011110000")
    duplicate = SupplierFactory(legal_name="Bouwgroep Rijn", kvk_number="11110001", branch_number="000011110001")
    return keep, duplicate


def test_every_foreign_key_to_supplier_is_found():
    assert (Contract, "supplier") in supplier_references()
    assert (Supplier, "merged_into") in supplier_references()


def test_references_move_and_the_duplicate_is_deactivated(pair, staff, arnhem):
    keep, duplicate = pair
    contract = ContractFactory(organisation=arnhem, supplier=duplicate)
    earlier = SupplierFactory(is_active=False, merged_into=duplicate)
    moved = supplier_merge(keep=keep, duplicate=duplicate, by=staff)
    contract.refresh_from_db()
    earlier.refresh_from_db()
    duplicate.refresh_from_db()
    assert contract.supplier == keep
    assert earlier.merged_into == keep
    assert not duplicate.is_active and duplicate.merged_into == keep
    assert moved == {"contracts.Contract": 1, "suppliers.Supplier": 1}
    event = AuditEvent.objects.get(action="supplier.merged")
    assert event.actor == staff and event.object_id == str(keep.uuid)
    assert event.detail["duplicate"] == str(duplicate.uuid) and event.detail["moved"] == moved


def test_the_duplicate_leaves_the_typeahead(pair, staff):
    keep, duplicate = pair
    assert len(search_suppliers("bouwgroep rijn").suppliers) == 2
    supplier_merge(keep=keep, duplicate=duplicate, by=staff)
    assert search_suppliers("bouwgroep rijn").suppliers == [keep]


def test_a_supplier_cannot_be_merged_into_itself_or_into_an_inactive_one(pair, staff):
    keep, duplicate = pair
    with pytest.raises(MergeError):
        supplier_merge(keep=keep, duplicate=keep, by=staff)
    keep.is_active = False
    keep.save()
    with pytest.raises(MergeError):
        supplier_merge(keep=keep, duplicate=duplicate, by=staff)
    duplicate.refresh_from_db()
    assert duplicate.is_active


def test_the_admin_action_asks_which_one_stays_then_merges(client, staff, pair, arnhem):
    keep, duplicate = pair
    contract = ContractFactory(organisation=arnhem, supplier=duplicate)
    client.force_login(staff)
    url = reverse("admin:suppliers_supplier_changelist")
    data = {"action": "merge_suppliers", "_selected_action": [keep.pk, duplicate.pk]}
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    assert "Kies de vestiging die blijft" in confirm.content.decode()
    response = client.post(url, {**data, "confirm": "yes", "keep": keep.pk}, follow=True)
    assert "1 opdrachtnemer is samengevoegd met Bouwgroep Rijn B.V." in response.content.decode()
    contract.refresh_from_db()
    duplicate.refresh_from_db()
    assert contract.supplier == keep and not duplicate.is_active and duplicate.merged_into == keep
    assert AuditEvent.objects.filter(action="supplier.merged", actor=staff).count() == 1


def test_the_admin_action_needs_at_least_two(client, staff, pair):
    keep, _duplicate = pair
    client.force_login(staff)
    response = client.post(
        reverse("admin:suppliers_supplier_changelist"),
        {"action": "merge_suppliers", "_selected_action": [keep.pk]},
        follow=True,
    )
    assert "Kies twee tot 20 opdrachtnemers" in response.content.decode()


def test_the_admin_search_and_filters_work(client, staff, pair):
    client.force_login(staff)
    url = reverse("admin:suppliers_supplier_changelist")
    body = client.get(url, {"q": "11110001"}).content.decode()
    assert "Bouwgroep Rijn" in body and "Bouwgroep Rijn B.V." not in body
    assert client.get(url, {"is_active__exact": "1", "source__exact": "registry"}).status_code == 200
