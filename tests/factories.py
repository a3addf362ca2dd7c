"""Factories. Children inherit the organisation of their parent, so cross-tenant data is only
built when a test asks for it explicitly."""

import time

import factory
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.models import EmailAddress

from wizzr.models import Membership, Organisation, Role, User

PASSWORD = "correct-horse-battery-2026"


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Steunpunt SROI {n}")
    slug = factory.Sequence(lambda n: f"steunpunt-{n}")
    kind = Organisation.Kind.SERVICE_POINT
    email = factory.Sequence(lambda n: f"info{n}@steunpunt.example")
    phone = "026 123 45 67"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    kind = Organisation.Kind.AUTHORITY
    served_by = factory.SubFactory(ServicePointFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name", locale="nl_NL")
    phone = "06 1234 5678"
    job_title = "Inkoopadviseur"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(user=self, email=self.email, defaults={"verified": True, "primary": True})


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(AuthorityFactory)
    role = Role.ADVISOR


def member(email: str, organisation: Organisation, *roles: str, name: str | None = None) -> User:
    """Create (or fetch) a user with the given roles in ``organisation``."""
    user = UserFactory(email=email, **({"name": name} if name else {}))
    for role in roles:
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


def mark_reauthenticated(client, user) -> None:
    """Mark ``client``'s session as recently reauthenticated by ``user``: exports and role changes ask
    for the password again (allauth's reauthentication), and tests that are not about that step skip it."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
