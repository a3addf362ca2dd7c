"""import_suppliers and generate_suppliers."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from suppliers import importer
from suppliers.models import SearchWord, Supplier, SupplierWord
from suppliers.search import search_suppliers
from suppliers.synthetic import Registry
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db

HEADER = "kvk_number,branch_number,legal_name,trade_name,is_main_branch,street,house_number,postcode,city,phone,email,website\n"


def run(tmp_path, text: str, *args) -> str:
    path = tmp_path / "registry.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_suppliers", str(path), *args, stdout=out)
    return out.getvalue()


def test_good_rows_are_inserted_and_normalised(tmp_path):
    out = run(tmp_path, HEADER
              + "12345670,000012345670,Bakkerij De Zoete Inval,,ja,Kerkstraat,3,6811ab,Arnhem,026 111 22 33,INFO@ZOET.example,www.zoet.example\n"
              + '12345671,,"Jansen, Bouw & Zn. B.V.",Jansen Bouw,nee,Dorpsstraat,1a,,Ede,,,\n')
    assert "2 rows read" in out and "2 inserted, 0 updated, 0 unchanged, 0 rejected" in out
    bakkerij = Supplier.objects.get(kvk_number="12345670")
    assert bakkerij.postcode == "6811 AB" and bakkerij.email == "info@zoet.example"
    assert bakkerij.website == "https://www.zoet.example" and bakkerij.is_main_branch
    assert bakkerij.source == Supplier.Source.REGISTRY
    jansen = Supplier.objects.get(kvk_number="12345671")
    assert jansen.legal_name == "Jansen, Bouw & Zn. B.V." and jansen.branch_number == "" and not jansen.is_main_branch
    assert [s.legal_name for s in search_suppliers("jansen bouw").suppliers] == ["Jansen, Bouw & Zn. B.V."]


def test_bad_rows_are_rejected_with_line_numbers_and_reasons(tmp_path):
    out = run(tmp_path, HEADER
              + "1234567,,Te kort,,,,,,Arnhem,,,\n"                       # line 2
              + "12345678,12345,Korte vestiging,,,,,,Arnhem,,,\n"         # line 3
              + "12345678,,,,,,,,Arnhem,,,\n"                              # line 4
              + "12345678,,Postcode fout,,,,,123 AB,Arnhem,,,\n"           # line 5
              + "12345678,,Mail fout,,,,,,Arnhem,,info@,\n"                # line 6
              + "12345678,,Te weinig velden\n"                             # line 7
              + "12345678,,Hoofd?,,misschien,,,,Arnhem,,,\n"               # line 8
              + "12345679,,Goed B.V.,,,,,,Arnhem,,,\n")                    # line 9
    assert "1 inserted, 0 updated, 0 unchanged, 7 rejected" in out
    assert "line 2: KvK-nummer moet uit 8 cijfers bestaan" in out
    assert "line 3: vestigingsnummer moet leeg zijn of uit 12 cijfers bestaan" in out
    assert "line 4: statutaire naam ontbreekt" in out
    assert "line 5: postcode is geen Nederlandse postcode (1234 AB)" in out
    assert "line 6: e-mailadres is ongeldig" in out
    assert "line 7: 3 velden in plaats van 12" in out
    assert "line 8: hoofdvestiging moet ja of nee zijn" in out
    assert list(Supplier.objects.values_list("legal_name", flat=True)) == ["Goed B.V."]


def test_a_duplicate_in_the_file_keeps_the_last_line(tmp_path):
    out = run(tmp_path, HEADER
              + "12345670,000012345670,Eerste versie,,,,,,Arnhem,,,\n"
              + "12345670,000012345670,Tweede versie,,,,,,Arnhem,,,\n")
    assert "1 inserted" in out and "1 rejected" in out
    assert "line 2: KvK- en vestigingsnummer komen later in het bestand nog eens voor, op regel 3" in out
    assert Supplier.objects.get(kvk_number="12345670").legal_name == "Tweede versie"


def test_existing_establishments_are_updated_on_kvk_and_branch_and_unchanged_ones_left_alone(tmp_path):
    changed = SupplierFactory(kvk_number="12345670", branch_number="000012345670", legal_name="Oude Naam", city="Arnhem")
    same = SupplierFactory(kvk_number="12345671", branch_number="", legal_name="Zelfde B.V.", trade_name="",
                           is_main_branch=False, street="", house_number="", postcode="", city="Ede", phone="", email="")
    out = run(tmp_path, HEADER
              + "12345670,000012345670,Nieuwe Naam,,ja,,,,Arnhem,,,\n"
              + "12345671,,Zelfde B.V.,,nee,,,,Ede,,,\n")
    assert "0 inserted, 1 updated, 1 unchanged, 0 rejected" in out
    changed.refresh_from_db()
    assert changed.legal_name == "Nieuwe Naam" and changed.uuid is not None
    assert Supplier.objects.count() == 2
    assert names("nieuwe") == ["Nieuwe Naam"] and names("oude") == []
    assert same.pk == Supplier.objects.get(kvk_number="12345671").pk


def names(text):
    return [s.legal_name for s in search_suppliers(text).suppliers]


def test_a_semicolon_file_with_a_subset_of_columns_is_read(tmp_path):
    out = run(tmp_path, "legal_name;kvk_number;city\nCafé 't Hoekje;12345670;Renkum\n")
    assert "1 inserted" in out
    assert names("cafe hoekje") == ["Café 't Hoekje"]


def test_unknown_columns_stop_the_import(tmp_path):
    with pytest.raises(CommandError, match="Onbekende kolommen: naam"):
        run(tmp_path, "kvk_number,naam\n12345670,Iets\n")


def test_a_missing_kvk_column_stops_the_import(tmp_path):
    with pytest.raises(CommandError, match="Verplichte kolommen ontbreken: kvk_number"):
        run(tmp_path, "legal_name,city\nIets,Arnhem\n")


def test_nul_and_invalid_utf8_are_rejected_per_line(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_bytes(HEADER.encode() + b"12345670,,Nul\x00Byte,,,,,,Arnhem,,,\n12345671,,Caf\xe9,,,,,,Arnhem,,,\n12345672,,Goed,,,,,,Arnhem,,,\n")
    out = StringIO()
    call_command("import_suppliers", str(path), stdout=out)
    assert "1 inserted" in out.getvalue() and "2 rejected" in out.getvalue()
    assert "line 2: ongeldige tekens" in out.getvalue() and "line 3: ongeldige tekens" in out.getvalue()


def test_a_large_import_rebuilds_the_search_tables_in_one_pass(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BULK_THRESHOLD", 50)
    SupplierFactory(legal_name="Al Bestaand B.V.", kvk_number="99999999", branch_number="")
    rows = list(Registry(120, seed=7))
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8") as handle:
        importer.write_csv(rows, handle)
    out = StringIO()
    call_command("import_suppliers", str(path), stdout=out)
    assert "120 inserted" in out.getvalue()
    assert Supplier.objects.count() == 121
    active = Supplier.objects.filter(is_active=True).count()
    assert SupplierWord.objects.values("supplier_id").distinct().count() == active
    word, frequency = SearchWord.objects.values_list("word", "frequency").order_by("-frequency").first()
    assert SupplierWord.objects.filter(word=word).count() == frequency
    assert names("al bestaand") == ["Al Bestaand B.V."]
    with connection.cursor() as cursor:  # the bulk signatures are the ones the trigger would write
        cursor.execute("SELECT count(*) FROM suppliers_supplierword WHERE word_bits <> "
                       "suppliers_word_bits(string_to_array(concat_ws(' ', name_key, trade_key, city_key), ' '))")
        assert cursor.fetchone() == (0,)
    assert SupplierWord.objects.exclude(word_bits=0).count() == SupplierWord.objects.count()
    first = rows[0]
    assert first[2] in [s.legal_name for s in search_suppliers(first[0]).suppliers]


def test_a_bulk_import_keeps_every_column_index_and_constraint(tmp_path, monkeypatch):
    from django.db import connection

    def structure():
        tables = ["suppliers_supplier", "suppliers_supplierword", "suppliers_searchword"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY indexname", [tables])
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2", [tables])
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT table_name, column_name, data_type, collation_name, is_nullable, column_default "
                "FROM information_schema.columns WHERE table_name = ANY(%s) ORDER BY 1, 2", [tables])
            return indexes, constraints, cursor.fetchall()

    before = structure()
    monkeypatch.setattr(importer, "BULK_THRESHOLD", 10)
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8") as handle:
        importer.write_csv(Registry(30, seed=3), handle)
    call_command("import_suppliers", str(path), stdout=StringIO())
    assert Supplier.objects.count() == 30
    assert structure() == before


def test_generate_suppliers_writes_a_realistic_registry(tmp_path):
    path = tmp_path / "synthetic.csv"
    call_command("generate_suppliers", "--count", "500", "--seed", "11", "--output", str(path), stdout=StringIO())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 501 and lines[0] == ",".join(importer.COLUMNS)
    with_contact = [line for line in lines[1:] if not line.endswith(",,")]
    assert 100 < len(with_contact) < 250  # about a third of the establishments has a contact person
    out = StringIO()
    call_command("import_suppliers", str(path), stdout=out)
    assert "500 inserted" in out.getvalue() and "0 rejected" in out.getvalue()
    assert Supplier.objects.values("city").distinct().count() > 50
    assert Supplier.objects.filter(legal_name__regex=r"[éëïöüçÇ]").exists()
    assert Supplier.objects.filter(legal_name__regex=r" (Van|De|Van der|Van den|Ter|In 't) ").exists()
    assert Supplier.objects.filter(legal_name__endswith="B.V.").exists()
    assert Supplier.objects.filter(kvk_number="12345678").count() == 0  # reserved for the demo company


def test_the_same_seed_gives_the_same_registry():
    assert list(Registry(200, seed=5)) == list(Registry(200, seed=5))
    assert list(Registry(200, seed=5)) != list(Registry(200, seed=6))


def test_generate_suppliers_loads_into_the_database(tmp_path):
    out = StringIO()
    call_command("generate_suppliers", "--count", "40", "--seed", "2", stdout=out)
    assert "40 inserted" in out.getvalue()
    assert Supplier.objects.count() == 40


def test_the_contact_person_columns_are_optional_and_imported(tmp_path):
    text = (
        "kvk_number;legal_name;city;contact_name;contact_email;contact_phone\n"
        "45000001;Contact B.V.;Ede;A. de Vries;A.deVries@Contact.example;06 12345678\n"
        "45000002;Zonder Contact B.V.;Ede;;;\n"
        "45000003;Fout Contact B.V.;Ede;B. Bakker;geen-adres;\n"
    )
    out = run(tmp_path, text)
    assert "2 inserted" in out and "1 rejected" in out
    supplier = Supplier.objects.get(kvk_number="45000001")
    assert (supplier.contact_name, supplier.contact_email, supplier.contact_phone) == (
        "A. de Vries", "a.devries@contact.example", "06 12345678")
    assert Supplier.objects.get(kvk_number="45000002").contact_name == ""


def test_the_faker_registry_is_importable_and_has_companies_with_several_establishments():
    from collections import Counter

    from suppliers.synthetic import FakerRegistry

    rows = list(FakerRegistry(3000, seed=5))
    assert len(rows) == 3000 and all(len(row) == len(importer.COLUMNS) for row in rows)
    assert all(not isinstance(importer.clean_row(row), str) for row in rows)
    assert len({(row[0], row[1]) for row in rows}) == 3000  # KvK + branch number unique
    sizes = Counter(Counter(row[0] for row in rows).values())
    companies = sum(sizes.values())
    several = sum(count for size, count in sizes.items() if 2 <= size <= 20)
    assert 0.08 < several / companies < 0.25 and max(sizes) <= 20
    assert rows == list(FakerRegistry(3000, seed=5))  # seeded
