"""The add dialog's duplicate check: exact KvK + branch number, and names by their distinctive words."""

import pytest

from suppliers.forms import SupplierAddForm, distinctive_words, similar_suppliers
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db

NEW = {
    "legal_name": "Schoonmaakbedrijf Çelik B.V.",
    "kvk_number": "46000001",
    "branch_number": "000046000001",
    "street": "Parkweg",
    "house_number": "7",
    "postcode": "6821ab",
    "city": "Arnhem",
}


def similar(**kwargs):
    return [(candidate.supplier.legal_name, candidate.reasons) for candidate in similar_suppliers(**kwargs)]


def test_generic_trade_words_and_legal_forms_are_not_distinctive():
    assert distinctive_words("Schoonmaakbedrijf Çelik B.V.") == ["celik"]
    assert distinctive_words("Bouwbedrijf Gebr. Van der Berg & Zonen B.V.", "Installatie Noord") == ["berg"]


def test_a_generic_word_and_a_shared_city_are_not_alike(db):
    SupplierFactory(legal_name="Schoonmaakbedrijf Proper Oost B.V.", city="Arnhem")
    form = SupplierAddForm(data=NEW)
    assert form.is_valid(), form.errors
    assert form.similar == []


def test_the_distinctive_word_in_the_same_place_is_alike_and_says_why(db):
    SupplierFactory(legal_name="Çelik Schoonmaak V.O.F.", city="Arnhem", kvk_number="46000099")
    assert similar(name="Schoonmaakbedrijf Çelik B.V.", city="Arnhem") == [
        ("Çelik Schoonmaak V.O.F.", ["naam lijkt op: ‘Çelik’", "zelfde plaats"])
    ]
    form = SupplierAddForm(data=NEW)
    assert not form.is_valid() and [c.supplier.legal_name for c in form.similar] == ["Çelik Schoonmaak V.O.F."]
    assert SupplierAddForm(data={**NEW, "confirm_similar": "on"}).is_valid()


def test_one_typo_in_a_distinctive_word_is_still_alike(db):
    SupplierFactory(legal_name="Janssen Bouwbedrijf B.V.", city="Zwolle")
    assert similar(name="Bouwbedrijf Jansen", city="Zwolle") == [
        ("Janssen Bouwbedrijf B.V.", ["naam lijkt op: ‘Janssen’", "zelfde plaats"])
    ]


def test_the_same_name_elsewhere_is_not_alike(db):
    SupplierFactory(legal_name="Çelik Schoonmaak V.O.F.", city="Zwolle")
    assert similar(name="Schoonmaakbedrijf Çelik B.V.", city="Arnhem") == []


def test_half_of_the_distinctive_words_must_match(db):
    SupplierFactory(legal_name="Jansen Verhoeven Partners", city="Ede")
    assert similar(name="Jansen De Wit Bakker Smit", city="Ede") == []  # one of four
    assert [name for name, _ in similar(name="Jansen Verhoeven", city="Ede")] == ["Jansen Verhoeven Partners"]


def test_another_establishment_of_the_same_company_is_named_first(db):
    other = SupplierFactory(legal_name="Heel Andere Naam", kvk_number="46000001", branch_number="000046000002", city="Ede")
    found = similar(name="Schoonmaakbedrijf Çelik B.V.", city="Arnhem", kvk_number="46000001", branch_number="000046000001")
    assert found == [(other.legal_name, ["zelfde KvK-nummer"])]
    form = SupplierAddForm(data=NEW)
    assert not form.is_valid()
    assert "zelfde KvK-nummer" in str(form.non_field_errors())


def test_the_same_kvk_and_branch_number_is_refused_exactly(db):
    existing = SupplierFactory(legal_name="Totaal Anders", kvk_number="46000001", branch_number="000046000001")
    form = SupplierAddForm(data=NEW)
    assert not form.is_valid()
    assert form.duplicate == existing
    assert "staat al in het register" in str(form.non_field_errors())
    # Another branch number of the same KvK number is not the same establishment.
    form = SupplierAddForm(data={**NEW, "branch_number": "000046000003", "confirm_similar": "on"})
    assert form.is_valid(), form.errors
