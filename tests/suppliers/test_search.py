"""The registry search: ranking per input class, accents, typos, KvK digits, hostile input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suppliers.models import SearchWord, SupplierWord
from suppliers.search import MAX_RESULTS, search_suppliers
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def names(text):
    return [s.legal_name for s in search_suppliers(text).suppliers]


@pytest.fixture
def registry(db):
    """A small registry in which each input class has one obvious first hit."""
    return {
        "berg": SupplierFactory(legal_name="Van der Berg Installaties B.V.", trade_name="Van der Berg", city="Zwolle", kvk_number="30012345"),
        "bergen": SupplierFactory(legal_name="Bergen Schilders V.O.F.", city="Alkmaar", kvk_number="30012399"),
        "bakkerij_arnhem": SupplierFactory(legal_name="Bakkerij De Zoete Inval", city="Arnhem", kvk_number="40000001"),
        "bakkerij_ede": SupplierFactory(legal_name="Bakkerij Jansen", city="Ede", kvk_number="40000002"),
        "arnhem_groen": SupplierFactory(legal_name="Groenvoorziening Rijnstad B.V.", city="Arnhem", kvk_number="40000003"),
        "cafe": SupplierFactory(legal_name="Café 't Hoekje", trade_name="Eetcafé Hoekje", city="Renkum", kvk_number="50000001"),
        "installatie": SupplierFactory(legal_name="Jansen Installatietechniek B.V.", city="Utrecht", kvk_number="50000002"),
        "celik": SupplierFactory(legal_name="Çelik Bouw B.V.", city="Rotterdam", kvk_number="50000003"),
        "inactive": SupplierFactory(legal_name="Bakkerij Opgeheven", city="Arnhem", kvk_number="50000004", is_active=False),
    }


def test_a_kvk_prefix_comes_first(registry):
    assert names("3001") == ["Van der Berg Installaties B.V.", "Bergen Schilders V.O.F."]
    assert names("30012399") == ["Bergen Schilders V.O.F."]


def test_a_single_digit_is_already_a_kvk_search(registry):
    assert names("5")[0] == "Café 't Hoekje"


def test_a_branch_number_is_found_by_its_digits(registry):
    berg = registry["berg"]
    assert names(berg.branch_number) == [berg.legal_name]


def test_a_name_starting_with_the_input_ranks_before_a_word_inside_the_name(registry):
    # "Bergen Schilders" starts with "berg"; "Van der Berg" only has a word starting with it.
    assert names("berg") == ["Bergen Schilders V.O.F.", "Van der Berg Installaties B.V."]


def test_a_name_with_a_surname_prefix_is_found_from_its_start(registry):
    assert names("van der b")[0] == "Van der Berg Installaties B.V."


def test_a_place_finds_the_companies_there(registry):
    assert set(names("arnh")) == {"Bakkerij De Zoete Inval", "Groenvoorziening Rijnstad B.V."}


def test_several_words_narrow_the_list(registry):
    assert names("bakkerij") == ["Bakkerij De Zoete Inval", "Bakkerij Jansen"]
    assert names("bakkerij arnhem") == ["Bakkerij De Zoete Inval"]
    assert names("arnhem bakk") == ["Bakkerij De Zoete Inval"]


def test_many_words_all_have_to_match(db):
    SupplierFactory(legal_name="Aannemersbedrijf Gebroeders Van der Berg en Zonen B.V.", city="Zwolle")
    SupplierFactory(legal_name="Aannemersbedrijf Gebroeders Van der Berg B.V.", city="Zwolle")
    assert names("aannemersbedrijf gebroeders van der berg en zonen zwolle") == [
        "Aannemersbedrijf Gebroeders Van der Berg en Zonen B.V."
    ]
    assert len(search_suppliers("aannemersbedrijf gebroeders van der berg zwolle").suppliers) == 2


def test_common_words_in_a_rare_combination_are_found_beyond_the_first_window(db):
    from suppliers.models import Supplier

    # 2,100 "Jansen" establishments in Zwolle, the one in Ede sorts last: the scan over the rarest
    # word's entries goes on until it is reached.
    Supplier.objects.bulk_create(
        Supplier(legal_name=f"Jansen Schilders {n:04d}", kvk_number=f"{80000000 + n}", city="Zwolle")
        for n in range(2100)
    )
    Supplier.objects.bulk_create(
        Supplier(legal_name=f"Bouwbedrijf Ede {n:04d}", kvk_number=f"{81000000 + n}", city="Ede")
        for n in range(2100)
    )
    SupplierFactory(legal_name="Jansen Zz Laatste Bouw", city="Ede", kvk_number="82000000")
    assert names("jansen bouw ede") == ["Jansen Zz Laatste Bouw"]
    assert names("jansen zwolle")[0] == "Jansen Schilders 0000"


def test_short_common_prefixes_in_a_rare_combination_are_found_by_intersecting(db):
    from suppliers.models import Supplier

    # "qa" and "qb" each start more than 200 vocabulary words, so neither size is known: the first
    # 2,000 entries of one are read, and when they do not suffice, its ids meet the other's.
    Supplier.objects.bulk_create(
        Supplier(legal_name=f"Qa{n:04d} Schilders", kvk_number=f"{83000000 + n}", city="Zwolle") for n in range(2100)
    )
    Supplier.objects.bulk_create(
        Supplier(legal_name=f"Qb{n:04d} Bouw", kvk_number=f"{84000000 + n}", city="Ede") for n in range(210)
    )
    SupplierFactory(legal_name="Qa9999 Qb9999 Laatste", city="Ede", kvk_number="85000000")
    assert names("qa qb") == ["Qa9999 Qb9999 Laatste"]
    assert names("qb ede")[:2] == ["Qa9999 Qb9999 Laatste", "Qb0000 Bouw"]


def word_bits(*words):
    with connection.cursor() as cursor:
        cursor.execute("SELECT suppliers_word_bits(%s::text[]), suppliers_word_mask(%s::text[])", [list(words)] * 2)
        return cursor.fetchone()


def test_each_word_table_entry_carries_a_bit_for_the_start_of_every_word_of_its_establishment(registry):
    entries = SupplierWord.objects.filter(supplier_id=registry["cafe"].pk)
    assert entries.count() == 5  # cafe, t, hoekje, eetcafe, renkum
    for entry in entries:
        expected, _mask = word_bits(*f"{entry.name_key} {entry.trade_key} {entry.city_key}".split(" "))
        assert entry.word_bits == expected
        for word in ["caf", "cafe", "hoek", "hoekje", "eetc", "renkum", "ren"]:
            _bits, mask = word_bits(word)
            assert mask != 0 and entry.word_bits & mask == mask, word


def test_the_signature_follows_a_changed_name_and_place(registry):
    supplier = registry["cafe"]
    supplier.legal_name = "Lunchroom De Molen"
    supplier.city = "Wageningen"
    supplier.save()
    expected, _mask = word_bits("lunchroom", "de", "molen", "eetcafe", "hoekje", "wageningen")
    assert set(SupplierWord.objects.filter(supplier_id=supplier.pk).values_list("word_bits", flat=True)) == {expected}
    assert names("molen wagen") == ["Lunchroom De Molen"]


def test_words_shorter_than_three_letters_require_no_bit_and_still_have_to_match(registry):
    assert word_bits("de", "t")[1] == 0
    assert names("bakkerij de") == ["Bakkerij De Zoete Inval"]


def test_an_establishment_with_more_than_sixteen_words_passes_every_signature(db):
    long_name = " ".join(f"Woord{chr(97 + n)}" for n in range(17))
    supplier = SupplierFactory(legal_name=long_name, city="Zwolle")
    assert set(SupplierWord.objects.filter(supplier_id=supplier.pk).values_list("word_bits", flat=True)) == {-1}
    assert names("woordq zwolle") == [long_name]


def test_several_words_may_combine_name_and_kvk_digits(registry):
    assert names("bakkerij 4000000") == ["Bakkerij De Zoete Inval", "Bakkerij Jansen"]
    assert names("bakkerij 40000002") == ["Bakkerij Jansen"]


def test_up_to_three_digits_beside_words_are_a_word_of_the_name(db):
    SupplierFactory(legal_name="Bakkerij 024", kvk_number="45000001", city="Ede")
    SupplierFactory(legal_name="Bakkerij 025", kvk_number="45000002", city="Ede")
    SupplierFactory(legal_name="Bakkerij Pieters", kvk_number="45000003", city="Ede")
    assert names("bakkerij 024") == ["Bakkerij 024"]
    assert names("bakkerij 02") == ["Bakkerij 024", "Bakkerij 025"]
    # Four digits or more are the start of the KvK number, and the words must still match.
    assert names("bakkerij 4500") == ["Bakkerij 024", "Bakkerij 025", "Bakkerij Pieters"]
    assert names("pieters 45000") == ["Bakkerij Pieters"]
    assert names("slagerij 4500") == []


def test_accents_do_not_matter_either_way(registry):
    assert names("cafe")[0] == "Café 't Hoekje"
    assert names("CAFÉ 't hoek")[0] == "Café 't Hoekje"
    assert names("celik") == ["Çelik Bouw B.V."]


def test_a_trade_name_is_searched_too(registry):
    assert names("eetcafe") == ["Café 't Hoekje"]


def test_a_typo_finds_the_real_words(registry):
    # One letter left out: "installatie" starts both "installaties" and "installatietechniek";
    # equally good, so alphabetical.
    assert names("instalatie") == ["Jansen Installatietechniek B.V.", "Van der Berg Installaties B.V."]
    assert names("schildrs") == ["Bergen Schilders V.O.F."]


def test_a_typo_in_one_of_several_words_is_forgiven(registry):
    assert names("bakkrij arnhem") == ["Bakkerij De Zoete Inval"]


def test_input_that_matches_nothing_gives_an_empty_list(registry):
    assert names("xqzvbnw") == []
    assert names("ba_kerij") == []


def test_when_nothing_has_every_word_the_best_partial_matches_are_offered(registry):
    result = search_suppliers("bakkerij zwolle")
    assert [s.legal_name for s in result.suppliers][:2] == ["Bakkerij De Zoete Inval", "Bakkerij Jansen"]
    assert "Van der Berg Installaties B.V." in [s.legal_name for s in result.suppliers]
    assert (result.more, result.more_is_estimate) == (0, False)  # all three partial matches are shown


def test_inactive_establishments_are_not_offered(registry):
    assert "Bakkerij Opgeheven" not in names("bakkerij")
    assert names("50000004") == []


def test_establishments_of_one_company_are_all_offered_with_their_own_address(db):
    for branch, city in [("000011112222", "Arnhem"), ("000011112223", "Nijmegen"), ("000011112224", "Ede")]:
        SupplierFactory(legal_name="Bouwgroep Rijn B.V.", kvk_number="77770000", branch_number=branch, city=city)
    found = search_suppliers("bouwgroep rijn").suppliers
    assert sorted(s.city for s in found) == ["Arnhem", "Ede", "Nijmegen"]
    assert len({s.branch_number for s in found}) == 3


def test_at_most_ten_suppliers_come_back(db):
    for n in range(15):
        SupplierFactory(legal_name=f"Bakkerij Nummer {n:02d}")
    assert len(search_suppliers("bakkerij").suppliers) == MAX_RESULTS


def test_one_letter_is_not_enough(registry):
    assert names("b") == []


@pytest.mark.parametrize(
    "text",
    ["%", "%%", "_", "\\", "'", '"', "' OR 1=1 --", "\x00", "bak\x00kerij", "a" * 500, "😀", "bakkerij 😀", "\ud800", "%_\\'\"",
     "   ", "....", "\t\n", "ǅ", "ß" * 200, None, ""],
)
def test_hostile_input_gives_a_normal_answer(registry, text):
    result = search_suppliers(text)
    assert isinstance(result.suppliers, list)


def test_like_wildcards_are_not_wildcards(registry):
    assert names("b%") == names("b")
    assert names("ba_kerij") == []


def test_no_count_is_run_for_a_keystroke(registry):
    with CaptureQueriesContext(connection) as queries:
        search_suppliers("bakkerij arnhem")
        search_suppliers("instalatie")
        search_suppliers("3001")
    assert not [q["sql"] for q in queries if "count(" in q["sql"].lower()]


def test_the_word_table_follows_changes_of_a_supplier(registry):
    supplier = registry["bakkerij_ede"]
    supplier.legal_name = "Banketbakkerij Jansen"
    supplier.city = "Wageningen"
    supplier.save()
    assert names("wagen") == ["Banketbakkerij Jansen"]
    assert names("ede") == []
    supplier.is_active = False
    supplier.save()
    assert names("wagen") == []
    assert not SupplierWord.objects.filter(supplier_id=supplier.pk).exists()
    assert SearchWord.objects.get(word="wageningen").frequency == 0
