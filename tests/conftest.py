"""Personas shared by every test.

The service point Midden-Gelderland serves Arnhem and Renkum; Utrecht is served by another
service point. ``alice`` advises Arnhem, ``bob`` advises Renkum (same service point, other
tenant), ``carol`` coordinates for Midden-Gelderland, ``dave`` advises Utrecht, ``erin`` is the
organisation admin of Arnhem, ``frank`` coordinates for Utrecht's service point.
"""

import pytest

from tests.clamd import clamd_daemon, clamd_down, clamd_scanner  # noqa: F401 - fixtures for upload scanning
from tests.factories import PASSWORD, AuthorityFactory, ServicePointFactory, member
from wizzr.models import Role


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def service_point(db):
    return ServicePointFactory(name="Steunpunt SROI Midden-Gelderland", slug="steunpunt-mg")


@pytest.fixture
def other_service_point(db):
    return ServicePointFactory(name="SROI Servicepunt Utrecht", slug="servicepunt-utrecht")


@pytest.fixture
def arnhem(service_point):
    return AuthorityFactory(name="Gemeente Arnhem", slug="arnhem", served_by=service_point)


@pytest.fixture
def renkum(service_point):
    return AuthorityFactory(name="Gemeente Renkum", slug="renkum", served_by=service_point)


@pytest.fixture
def utrecht(other_service_point):
    return AuthorityFactory(name="Gemeente Utrecht", slug="utrecht", served_by=other_service_point)


@pytest.fixture
def alice(arnhem):
    """Advisor of Arnhem."""
    return member("alice@arnhem.example", arnhem, Role.ADVISOR, name="Alice de Vries")


@pytest.fixture
def bob(renkum):
    """Advisor of Renkum: same service point as Arnhem, another tenant."""
    return member("bob@renkum.example", renkum, Role.ADVISOR, name="Bob Jansen")


@pytest.fixture
def carol(service_point):
    """Coordinator of the service point that serves Arnhem and Renkum."""
    return member("carol@steunpunt-mg.example", service_point, Role.COORDINATOR, name="Carol Visser")


@pytest.fixture
def dave(utrecht):
    """Advisor of Utrecht, served by another service point."""
    return member("dave@utrecht.example", utrecht, Role.ADVISOR, name="Dave Smit")


@pytest.fixture
def erin(arnhem):
    """Organisation admin of Arnhem."""
    return member("erin@arnhem.example", arnhem, Role.ORG_ADMIN, Role.ADVISOR, name="Erin Bakker")


@pytest.fixture
def frank(other_service_point):
    """Coordinator of the other service point."""
    return member("frank@servicepunt-utrecht.example", other_service_point, Role.COORDINATOR, name="Frank Mulder")


@pytest.fixture
def anonymous(client):
    return client
