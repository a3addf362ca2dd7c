"""Importing existing contracts from a spreadsheet: the dry run, applying, idempotency, undo, bad input."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from faker import Faker
from openpyxl import Workbook

from contracts.importer import COLUMNS
from contracts.models import Contract, ImportBatch
from tests.contracts.factories import ContractFactory
from tests.factories import member
from tests.suppliers.factories import SupplierFactory
from wizzr.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, erin):
    client.force_login(erin)
    return client


@pytest.fixture
def suppliers(db):
    return [SupplierFactory(city="Arnhem") for _ in range(40)]


def contract_rows(suppliers, count: int, seed: int = 2026) -> list[list]:
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    rows = []
    for n in range(count):
        supplier = suppliers[n % len(suppliers)]
        start = fake.date_between(datetime.date(2022, 1, 1), datetime.date(2026, 12, 31))
        rows.append([
            f"INK-{n:05d}", fake.catch_phrase()[:200], start, start + datetime.timedelta(days=fake.random_int(30, 1500)),
            supplier.kvk_number, supplier.branch_number, supplier.legal_name, supplier.city,
            fake.random_int(10_000, 5_000_000), 5, fake.random_element(["werk", "dienst", "levering"]),
            fake.random_element(["Beheer openbare ruimte", "Inkoop", "Sociaal domein"]), "concept",
        ])
    return rows


def xlsx(rows: list[list], header=COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "contracten.xlsx", capture=None):
    file = SimpleUploadedFile(name, data)
    if capture is not None:
        with capture(execute=True):
            return client.post(reverse("contracts:import_start"), {"bestand": file})
    return client.post(reverse("contracts:import_start"), {"bestand": file})


def latest_batch() -> ImportBatch:
    return ImportBatch.objects.latest("created_at")


def row(batch: ImportBatch, number: int) -> dict:
    return next(r for r in batch.rows if r["rij"] == number)


def test_a_file_of_2000_contracts_names_its_errors_per_cell_then_applies_and_a_second_import_changes_nothing(
    admin_client, arnhem, suppliers, django_capture_on_commit_callbacks
):
    rows = contract_rows(suppliers, 2000)
    bad = [list(r) for r in rows]
    bad[10][2] = "31-02-2026"  # row 12: no such date
    bad[20][3] = bad[20][2] - datetime.timedelta(days=1)  # row 22: ends before it starts
    bad[30][10] = "bouw"  # row 32: unknown kind
    bad[40][0] = bad[41][0]  # row 43 duplicates row 42... the second one is refused
    bad[50][8] = -100  # row 52
    bad[60][8] = 10**13  # row 62
    bad[70][4], bad[70][5] = "99999999", ""  # row 72: no supplier
    response = upload(admin_client, xlsx(bad), capture=django_capture_on_commit_callbacks)
    batch = latest_batch()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.CHECKED and batch.progress == 100
    assert batch.summary["geweigerd"] == 7
    assert "Ongeldige datum" in row(batch, 12)["fouten"]["startdatum"]
    assert row(batch, 22)["fouten"]["einddatum"] == "De einddatum ligt vóór de startdatum."
    assert "Onbekende soort" in row(batch, 32)["fouten"]["soort"]
    assert "ook in rij 42" in row(batch, 43)["fouten"]["inkoopcontractnummer"]
    assert row(batch, 52)["fouten"]["opdrachtsom"] == "Het bedrag mag niet negatief zijn."
    assert "ten hoogste" in row(batch, 62)["fouten"]["opdrachtsom"]
    assert "Geen leverancier" in row(batch, 72)["fouten"]["kvk_nummer"]
    page = admin_client.get(reverse("contracts:import_batch", kwargs={"uuid": batch.uuid}))
    assert "Ongeldige datum" in page.content.decode() and b"import-apply" not in page.content
    assert admin_client.post(reverse("contracts:import_batch", kwargs={"uuid": batch.uuid})).status_code == 302
    assert not Contract.objects.exists()

    upload(admin_client, xlsx(rows), capture=django_capture_on_commit_callbacks)
    batch = latest_batch()
    assert batch.summary["nieuw"] == 2000 and batch.summary["geweigerd"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("contracts:import_batch", kwargs={"uuid": batch.uuid}))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert Contract.objects.filter(organisation=arnhem, status=Contract.Status.DRAFT).count() == 2000
    first = Contract.objects.get(contract_number="INK-00000")
    assert first.supplier == suppliers[0] and first.start_date == rows[0][2]
    assert AuditEvent.objects.filter(action="contracts_imported", organisation=arnhem).count() == 1

    upload(admin_client, xlsx(rows), capture=django_capture_on_commit_callbacks)
    second = latest_batch()
    assert second.summary["ongewijzigd"] == 2000 and second.summary["nieuw"] == second.summary["gewijzigd"] == 0


def test_undo_of_a_second_import_restores_the_changed_contracts_and_deletes_the_created_ones(
    admin_client, arnhem, suppliers
):
    rows = contract_rows(suppliers, 5)
    upload(admin_client, xlsx(rows))
    admin_client.post(reverse("contracts:import_batch", kwargs={"uuid": latest_batch().uuid}))
    changed = [list(r) for r in rows] + contract_rows(suppliers, 7)[5:]
    changed[0][1] = "Nieuwe titel"
    changed[5][0], changed[6][0] = "INK-NIEUW-1", "INK-NIEUW-2"
    upload(admin_client, xlsx(changed))
    batch = latest_batch()
    assert (batch.summary["gewijzigd"], batch.summary["nieuw"], batch.summary["ongewijzigd"]) == (1, 2, 4)
    admin_client.post(reverse("contracts:import_batch", kwargs={"uuid": batch.uuid}))
    assert Contract.objects.get(contract_number="INK-00000").title == "Nieuwe titel"
    assert Contract.objects.count() == 7

    admin_client.post(reverse("contracts:import_undo", kwargs={"uuid": batch.uuid}))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert Contract.objects.get(contract_number="INK-00000").title == rows[0][1]
    assert Contract.objects.count() == 5
    assert AuditEvent.objects.filter(action="contract_import_undone").count() == 1


def test_undo_is_refused_when_a_contract_changed_since_or_a_day_has_passed(admin_client, suppliers):
    upload(admin_client, xlsx(contract_rows(suppliers, 3)))
    batch = latest_batch()
    admin_client.post(reverse("contracts:import_batch", kwargs={"uuid": batch.uuid}))
    contract = Contract.objects.get(contract_number="INK-00001")
    contract.title = "Later gewijzigd"
    contract.save()
    response = admin_client.post(reverse("contracts:import_undo", kwargs={"uuid": batch.uuid}), follow=True)
    assert "na de import gewijzigd: INK-00001" in response.content.decode()
    assert Contract.objects.count() == 3
    ImportBatch.objects.filter(pk=batch.pk).update(applied_at=timezone.now() - datetime.timedelta(hours=25))
    response = admin_client.post(reverse("contracts:import_undo", kwargs={"uuid": batch.uuid}), follow=True)
    assert "tot 24 uur" in response.content.decode()


def test_a_supplier_with_several_establishments_is_picked_per_row_before_applying(admin_client, suppliers):
    other = SupplierFactory(kvk_number=suppliers[0].kvk_number, city="Ede", is_main_branch=False)
    rows = contract_rows(suppliers, 1)
    rows[0][5] = ""  # KvK number only: two establishments
    upload(admin_client, xlsx(rows))
    batch = latest_batch()
    assert row(batch, 2)["uitkomst"] == "nieuw" and len(row(batch, 2)["kiezen"]) == 2
    url = reverse("contracts:import_batch", kwargs={"uuid": batch.uuid})
    assert 'name="leverancier_2"' in admin_client.get(url).content.decode()
    admin_client.post(url)
    assert not Contract.objects.exists()
    admin_client.post(url, {"leverancier_2": str(other.uuid)})
    assert Contract.objects.get().supplier == other


def test_a_supplier_named_without_kvk_number_is_found_by_name_and_place_and_confirmed_by_hand(admin_client, suppliers):
    linde = SupplierFactory(legal_name="Groenvoorziening De Linde B.V.", city="Arnhem")
    SupplierFactory(legal_name="Groenvoorziening De Linde B.V.", city="Ede", kvk_number="55555555")
    rows = contract_rows(suppliers, 1)
    rows[0][4:8] = ["", "", "Groenvoorziening De Linde", "Arnhem"]
    upload(admin_client, xlsx(rows))
    batch = latest_batch()
    choice = row(batch, 2)["kiezen"]
    assert [c["uuid"] for c in choice] == [str(linde.uuid)]
    url = reverse("contracts:import_batch", kwargs={"uuid": batch.uuid})
    admin_client.post(url)
    assert not Contract.objects.exists()
    admin_client.post(url, {"leverancier_2": str(linde.uuid)})
    assert Contract.objects.get().supplier == linde


def test_a_windows_1252_csv_with_semicolons_is_read_correctly(admin_client, suppliers):
    supplier = SupplierFactory(legal_name="Gemeentewerken Tiël", kvk_number="12121212", branch_number="000012121212")
    text = ";".join(COLUMNS) + "\r\n" + "INK-1;Straatwerk Tiël;01-02-2026;31-12-2026;12121212;000012121212;" \
        "Gemeentewerken Tiël;Tiel;1.250,50;5;werk;Openbare ruimte;concept\r\n"
    upload(admin_client, text.encode("cp1252"), name="contracten.csv")
    batch = latest_batch()
    assert row(batch, 2)["uitkomst"] == "nieuw", row(batch, 2)["fouten"]
    admin_client.post(reverse("contracts:import_batch", kwargs={"uuid": batch.uuid}))
    contract = Contract.objects.get()
    assert contract.title == "Straatwerk Tiël" and contract.supplier == supplier
    assert contract.contract_value == Decimal("1250.50")


def test_formula_cells_are_refused_per_cell(admin_client, suppliers):
    rows = contract_rows(suppliers, 2)
    rows[1][8] = "=1000*2"
    upload(admin_client, xlsx(rows))
    reason = row(latest_batch(), 3)["fouten"]["opdrachtsom"]
    assert reason == "Cel I3 bevat een formule; vul de waarde zelf in."


def test_merged_cells_refuse_the_sheet(admin_client, suppliers):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for r in contract_rows(suppliers, 2):
        sheet.append(r)
    sheet.merge_cells("B2:B3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(admin_client, buffer.getvalue())
    assert response.status_code == 400
    assert "samengevoegde cellen (B2:B3)" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_50_mb_file_is_refused_before_it_is_read(admin_client):
    response = upload(admin_client, b"x" * (50 * 1024 * 1024), name="groot.csv")
    assert response.status_code == 400
    assert "groter dan 10 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_small_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_before_it_is_opened(admin_client):
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024
    response = upload(admin_client, bomb.getvalue(), name="klein.xlsx")
    assert response.status_code == 400
    assert "groter dan 10 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_unknown_columns_refuse_the_file_with_their_names(admin_client, suppliers):
    response = upload(admin_client, xlsx(contract_rows(suppliers, 1), header=[*COLUMNS[:-1], "budgethouder"]))
    assert response.status_code == 400
    assert "Onbekende kolom(men): budgethouder" in response.content.decode()


def test_an_admin_of_renkum_never_sees_arnhems_batches(admin_client, client, renkum, suppliers):
    upload(admin_client, xlsx(contract_rows(suppliers, 1)))
    batch = latest_batch()
    renkum_admin = member("ria@renkum.example", renkum, Role.ORG_ADMIN, Role.ADVISOR)
    client.force_login(renkum_admin)
    for name in ("contracts:import_batch", "contracts:import_progress"):
        assert client.get(reverse(name, kwargs={"uuid": batch.uuid})).status_code == 404
    assert client.post(reverse("contracts:import_undo", kwargs={"uuid": batch.uuid})).status_code == 404
    assert batch.uuid.hex not in client.get(reverse("contracts:import_start")).content.decode()


def test_the_templates_download_with_the_dutch_columns(admin_client):
    csv_body = admin_client.get(reverse("contracts:import_template", kwargs={"fmt": "csv"})).content.decode("utf-8-sig")
    assert csv_body.splitlines()[0] == ";".join(COLUMNS)
    response = admin_client.get(reverse("contracts:import_template", kwargs={"fmt": "xlsx"}))
    assert response["Content-Disposition"] == 'attachment; filename="contracten-sjabloon.xlsx"'


def test_an_existing_handed_over_contract_is_not_changed_by_an_import(admin_client, arnhem, suppliers):
    ContractFactory(organisation=arnhem, contract_number="INK-00000", handed_over=True, supplier=suppliers[0])
    upload(admin_client, xlsx(contract_rows(suppliers, 1)))
    assert row(latest_batch(), 2)["uitkomst"] == "geweigerd"


def test_the_progress_fragment_shows_the_progress_and_reloads_the_page_when_the_check_is_done(admin_client, arnhem, erin):
    batch = ImportBatch.objects.create(organisation=arnhem, created_by=erin, file_name="groot.xlsx", progress=40)
    url = reverse("contracts:import_progress", kwargs={"uuid": batch.uuid})
    body = admin_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'value="40"' in body and f'hx-get="{url}"' in body
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.CHECKED, progress=100)
    response = admin_client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true" and "hx-get" not in response.content.decode()


def test_numbers_typed_in_excel_are_read_as_plain_amounts(admin_client, suppliers):
    rows = contract_rows(suppliers, 1)
    rows[0][8], rows[0][9] = 250000.0, 5.5
    upload(admin_client, xlsx(rows))
    values = row(latest_batch(), 2)["waarden"]
    assert (values["contract_value"], values["sroi_percentage"]) == ("250000.00", "5.50")


def test_a_failed_apply_task_stores_nothing_and_lets_the_admin_confirm_again(admin_client, arnhem, erin, monkeypatch):
    from contracts import importer, tasks

    batch = ImportBatch.objects.create(organisation=arnhem, created_by=erin, file_name="groot.xlsx",
                                       status=ImportBatch.Status.APPLYING)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(importer, "apply", broken)
    with pytest.raises(RuntimeError):
        tasks.import_apply.run(batch.pk, {}, erin.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED and "niets opgeslagen" in batch.message
