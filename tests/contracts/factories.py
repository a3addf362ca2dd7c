"""Factories for contracts and attachments. A contract's attachments inherit its organisation."""

import datetime
import hashlib
import uuid
from decimal import Decimal

import factory

from contracts.models import Attachment, Contract, attachment_root
from suppliers.models import Supplier
from tests.factories import AuthorityFactory, UserFactory


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        django_get_or_create = ("kvk_number", "branch_number")

    legal_name = factory.Sequence(lambda n: f"Bouwbedrijf Testmans {n} B.V.")
    kvk_number = factory.Sequence(lambda n: f"{70000000 + n:08d}")
    branch_number = factory.Sequence(lambda n: f"{100000000000 + n:012d}")
    is_main_branch = True
    street = "Industrieweg"
    house_number = "12"
    postcode = "6827 AB"
    city = "Arnhem"
    phone = "026 765 43 21"
    email = factory.Sequence(lambda n: f"info{n}@testmans.example")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    organisation = factory.SubFactory(AuthorityFactory)
    contract_number = factory.Sequence(lambda n: f"INK-2026-{n:04d}")
    title = "Onderhoud openbare ruimte"
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2027, 12, 31)
    supplier = factory.SubFactory(SupplierFactory)
    contract_value = Decimal("250000.00")
    sroi_percentage = Decimal("5.00")
    kind = Contract.Kind.SERVICES

    class Params:
        handed_over = factory.Trait(
            status=Contract.Status.HANDED_OVER,
            handed_over_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC)),
        )


class AttachmentFactory(factory.django.DjangoModelFactory):
    """An attachment row with a real (tiny) PDF file behind it."""

    class Meta:
        model = Attachment

    contract = factory.SubFactory(ContractFactory)
    organisation = factory.SelfAttribute("contract.organisation")
    display_name = "sroi-afspraken.pdf"
    content_type = "application/pdf"
    stored_name = factory.LazyFunction(lambda: uuid.uuid4().hex)
    size = 0
    sha256 = ""
    uploaded_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        content = kwargs.pop("content", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
        kwargs["size"] = len(content)
        kwargs["sha256"] = hashlib.sha256(content).hexdigest()
        path = attachment_root() / kwargs["stored_name"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return super()._create(model_class, *args, **kwargs)
