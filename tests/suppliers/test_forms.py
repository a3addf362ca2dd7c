"""SupplierField: what another app's form gets when it declares ``SupplierField(label=...)``."""

import uuid

import pytest
from django import forms

from suppliers.forms import SupplierField
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


class ContractLikeForm(forms.Form):
    supplier = SupplierField(label="Uitvoerende partij")


def errors(data) -> list[str]:
    form = ContractLikeForm(data=data)
    assert not form.is_valid()
    return form.errors["supplier"]


def test_the_submitted_uuid_gives_the_supplier():
    supplier = SupplierFactory()
    form = ContractLikeForm(data={"supplier": str(supplier.uuid)})
    assert form.is_valid()
    assert form.cleaned_data["supplier"] == supplier


def test_a_missing_supplier_is_explained():
    assert errors({"supplier": "", "supplier__zoek": "bakk"}) == [
        "Kies een opdrachtnemer uit de lijst, of voeg hem toe met de knop naast het veld."
    ]


@pytest.mark.parametrize("value", [str(uuid.uuid4()), "not-a-uuid", "1", "' OR 1=1"])
def test_an_unknown_supplier_is_explained(value):
    assert errors({"supplier": value}) == [
        "Deze opdrachtnemer is niet gevonden. Typ een deel van de naam en kies uit de lijst."
    ]


def test_an_inactive_supplier_is_refused():
    supplier = SupplierFactory(is_active=False)
    assert errors({"supplier": str(supplier.uuid)}) == ["Deze opdrachtnemer is niet meer actief. Kies een andere vestiging."]


def test_a_merged_supplier_points_to_the_one_it_was_merged_into():
    keep = SupplierFactory(legal_name="Bouwgroep Rijn B.V.", city="Arnhem")
    merged = SupplierFactory(is_active=False, merged_into=keep)
    assert errors({"supplier": str(merged.uuid)}) == [
        "Deze opdrachtnemer is samengevoegd met Bouwgroep Rijn B.V. (Arnhem). Kies die vestiging."
    ]


def test_the_widget_renders_the_whole_combobox():
    html = str(ContractLikeForm()["supplier"])
    assert 'role="combobox"' in html and 'aria-autocomplete="list"' in html and 'aria-expanded="false"' in html
    assert 'aria-controls="id_supplier_listbox"' in html and 'id="id_supplier_listbox" role="listbox"' in html
    assert 'role="status" aria-live="polite"' in html
    assert 'data-search-url="/leveranciers/zoeken/"' in html and 'data-add-url="/leveranciers/toevoegen/"' in html
    assert 'type="hidden" name="supplier" value=""' in html
    assert "Opdrachtnemer toevoegen die nog niet in de lijst staat" in html
    assert "js/typeahead.js" in html
    assert "js/typeahead.js" in str(ContractLikeForm().media)


def test_the_label_points_at_the_combobox():
    field = ContractLikeForm()["supplier"]
    assert field.id_for_label == "id_supplier"
    assert 'id="id_supplier" name="supplier__zoek"' in str(field)


def test_a_chosen_supplier_is_shown_with_its_address_when_the_form_comes_back():
    supplier = SupplierFactory(legal_name="Bakkerij De Zoete Inval", street="Kerkstraat", house_number="3",
                               postcode="6811 AB", city="Arnhem")
    html = str(ContractLikeForm(initial={"supplier": supplier})["supplier"])
    assert f'name="supplier" value="{supplier.uuid}"' in html
    assert 'value="Bakkerij De Zoete Inval, Arnhem"' in html
    assert "Kerkstraat 3, 6811 AB Arnhem" in html
    assert "data-supplier-card hidden" not in html


def test_text_typed_without_choosing_is_kept_when_the_form_comes_back():
    form = ContractLikeForm(data={"supplier": "", "supplier__zoek": "Bakkerij <b>Zoet"})
    form.is_valid()
    html = str(form["supplier"])
    assert 'value="Bakkerij &lt;b&gt;Zoet"' in html
    assert 'aria-invalid="true"' in html
    assert "data-supplier-card hidden" in html


def test_a_model_forms_initial_primary_key_shows_the_supplier_and_is_not_a_change():
    supplier = SupplierFactory(legal_name="Bouwgroep Rijn B.V.", city="Arnhem")
    form = ContractLikeForm(initial={"supplier": supplier.pk}, data={"supplier": str(supplier.uuid)})
    assert 'value="Bouwgroep Rijn B.V., Arnhem"' in str(ContractLikeForm(initial={"supplier": supplier.pk})["supplier"])
    assert form.is_valid() and not form.has_changed()
