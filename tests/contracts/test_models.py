import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from contracts.models import Attachment, Contract
from tests.contracts.factories import AttachmentFactory, ContractFactory
from wizzr.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_the_obligation_is_value_times_percentage_rounded_to_cents():
    contract = Contract(contract_value=Decimal("123456.78"), sroi_percentage=Decimal("5"))
    assert contract.sroi_obligation == Decimal("6172.84")


def test_a_fixed_amount_wins_over_the_percentage():
    contract = Contract(contract_value=Decimal("100000"), sroi_percentage=Decimal("5"), sroi_fixed_amount=Decimal("1234.5"))
    assert contract.sroi_obligation == Decimal("1234.50")


def test_the_obligation_is_unknown_without_a_value():
    assert Contract(contract_value=None).sroi_obligation is None


def test_the_database_computes_the_same_obligation(arnhem):
    ContractFactory(organisation=arnhem, contract_value=Decimal("123456.78"), sroi_percentage=Decimal("5"))
    assert Contract.objects.with_obligation().get().obligation_amount == Decimal("6172.84")


def test_members_see_their_own_drafts_and_nothing_of_other_tenants(alice, bob, arnhem, renkum):
    own = ContractFactory(organisation=arnhem)
    ContractFactory(organisation=renkum, handed_over=True)
    assert list(Contract.objects.visible_to(alice)) == [own]
    assert Contract.objects.visible_to(bob).count() == 1


def test_coordinators_see_handed_over_contracts_of_served_authorities_only(carol, frank, arnhem, renkum, utrecht):
    ContractFactory(organisation=arnhem)
    handed_over = ContractFactory(organisation=arnhem, handed_over=True)
    other = ContractFactory(organisation=renkum, status=Contract.Status.IN_PROGRESS)
    ContractFactory(organisation=utrecht, handed_over=True)
    assert set(Contract.objects.visible_to(carol)) == {handed_over, other}
    assert Contract.objects.visible_to(frank).count() == 1


def test_a_coordinator_who_is_also_a_member_of_an_authority_sees_its_concepts_but_no_other_concepts(
    carol, arnhem, renkum, utrecht
):
    """The organisations in view are one set (member of, or served by the service point coordinated); only
    the member's own organisation shows its concepts."""
    Membership.objects.create(user=carol, organisation=renkum, role=Role.ADVISOR)
    renkum_concept = ContractFactory(organisation=renkum)
    renkum_running = ContractFactory(organisation=renkum, status=Contract.Status.IN_PROGRESS)
    ContractFactory(organisation=arnhem)  # a concept of a served authority carol is not a member of
    arnhem_handed_over = ContractFactory(organisation=arnhem, handed_over=True)
    ContractFactory(organisation=utrecht, handed_over=True)  # another region
    assert set(Contract.objects.visible_to(carol)) == {renkum_concept, renkum_running, arnhem_handed_over}
    assert Contract.objects.visible_to(carol).filter(status=Contract.Status.DRAFT).get() == renkum_concept


def test_anonymous_users_see_nothing(django_user_model, arnhem):
    from django.contrib.auth.models import AnonymousUser

    ContractFactory(organisation=arnhem)
    assert not Contract.objects.visible_to(AnonymousUser()).exists()


def test_attachments_follow_the_visibility_of_their_contract(alice, carol, dave, arnhem):
    AttachmentFactory(contract=ContractFactory(organisation=arnhem))
    assert Attachment.objects.visible_to(alice).count() == 1
    assert Attachment.objects.visible_to(carol).count() == 0
    assert Attachment.objects.visible_to(dave).count() == 0


def test_the_contract_number_is_unique_per_organisation_ignoring_case(arnhem, renkum):
    ContractFactory(organisation=arnhem, contract_number="INK-1")
    ContractFactory(organisation=renkum, contract_number="INK-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(organisation=arnhem, contract_number="ink-1")


@pytest.mark.parametrize(
    "fields",
    [
        {"start_date": datetime.date(2026, 2, 1), "end_date": datetime.date(2026, 1, 31)},
        {"sroi_percentage": Decimal("100.01")},
        {"sroi_percentage": Decimal("-1")},
        {"contract_value": Decimal("-0.01")},
        {"sroi_fixed_amount": Decimal("-5")},
    ],
)
def test_the_database_refuses_impossible_values(arnhem, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(organisation=arnhem, **fields)
