"""Demo contracts for seed_demo (a ``WIZZR_SEED_HOOKS`` entry): concepts and handed-over contracts of the
demo authorities, with registry suppliers and an SROI agreement document on some of them.

Goes through the services, so audit events and the coordinators' notifications are the real ones.
Idempotent: a contract number that exists in its organisation is left alone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from contracts import services
from contracts.models import Contract
from suppliers.models import Supplier
from wizzr.models import Organisation, User
from wizzr.uploads import validate_upload

# Used only when the registry is (nearly) empty: a handful of real-looking establishments.
FALLBACK_SUPPLIERS = [
    ("09310001", "093100010001", "Groenbedrijf De Linge B.V.", "Industrieweg", "14", "6827 AB", "Arnhem"),
    ("09310002", "093100020001", "Schoonmaakbedrijf Veluwezoom B.V.", "Nijverheidsweg", "3", "6862 EA", "Oosterbeek"),
    ("09310003", "093100030001", "Infra Utrecht Wegenbouw B.V.", "Kanaalweg", "80", "3526 KM", "Utrecht"),
    ("09310004", "093100040001", "Bouwcombinatie Rijnstad B.V.", "Westervoortsedijk", "73", "6827 AV", "Arnhem"),
    ("09310005", "093100050001", "ICT Werkplek Gelderland B.V.", "Meander", "251", "6825 MC", "Arnhem"),
    ("09310006", "093100060001", "Catering De Veluwe B.V.", "Utrechtseweg", "310", "6862 AZ", "Oosterbeek"),
    ("09310007", "093100070001", "Vervoersbedrijf Rheden B.V.", "Arnhemsestraatweg", "20", "6991 JE", "Rheden"),
    ("09310008", "093100080001", "Kantoorvakhuis Midden-Nederland B.V.", "Europalaan", "40", "3526 KS", "Utrecht"),
]

# (organisation slug, advisor e-mail, number, title, kind, start, end, value, percentage, handed over, with document)
CONTRACTS = [
    ("gemeente-arnhem", "adviseur@arnhem.example", "ARN-2026-001", "Groenonderhoud openbare ruimte Arnhem-Noord", "services", date(2026, 1, 1), date(2029, 12, 31), "1850000.00", "5", True, True),
    ("gemeente-arnhem", "adviseur@arnhem.example", "ARN-2026-004", "Reconstructie Jansbuitensingel", "works", date(2026, 3, 1), date(2027, 6, 30), "4200000.00", "5", True, True),
    ("gemeente-arnhem", "inkoop@mgb.example", "ARN-2026-007", "Schoonmaak gemeentelijke gebouwen", "services", date(2026, 2, 1), date(2028, 1, 31), "960000.00", "5", True, False),
    ("gemeente-arnhem", "adviseur@arnhem.example", "ARN-2026-011", "ICT-werkplekbeheer", "services", date(2026, 7, 1), date(2030, 6, 30), "2300000.00", "4", True, False),
    ("gemeente-arnhem", "adviseur@arnhem.example", "ARN-2026-015", "Bouw brede school Presikhaaf", "works", date(2026, 9, 1), date(2028, 8, 31), "6750000.00", "5", False, True),
    ("gemeente-arnhem", "inkoop@mgb.example", "ARN-2026-016", "Levering kantoorartikelen", "supplies", date(2026, 10, 1), date(2028, 9, 30), "180000.00", "5", False, False),
    ("gemeente-renkum", "adviseur@renkum.example", "REN-2026-002", "Onderhoud riolering Oosterbeek", "works", date(2026, 4, 1), date(2028, 3, 31), "1250000.00", "5", True, True),
    ("gemeente-renkum", "adviseur@renkum.example", "REN-2026-005", "Catering gemeentehuis", "services", date(2026, 5, 1), date(2029, 4, 30), "420000.00", "5", True, False),
    ("gemeente-renkum", "adviseur@renkum.example", "REN-2026-009", "Inhuur tijdelijk personeel Sociaal Domein", "services", date(2026, 11, 1), date(2027, 10, 31), "350000.00", "5", False, False),
    ("gemeente-rheden", "inkoop@mgb.example", "RHE-2026-003", "Leerlingenvervoer", "services", date(2026, 8, 1), date(2030, 7, 31), "2100000.00", "5", True, True),
    ("gemeente-rheden", "inkoop@mgb.example", "RHE-2026-006", "Herinrichting dorpskern Dieren", "works", date(2026, 10, 1), date(2027, 12, 31), "2900000.00", "5", False, False),
    ("gemeente-utrecht", "adviseur@utrecht.example", "UTR-2026-0101", "Asfaltonderhoud hoofdwegen", "works", date(2026, 2, 1), date(2028, 1, 31), "5400000.00", "5", True, True),
    ("gemeente-utrecht", "adviseur@utrecht.example", "UTR-2026-0117", "Levering meubilair stadskantoor", "supplies", date(2026, 6, 1), date(2027, 5, 31), "640000.00", "5", True, False),
    ("gemeente-utrecht", "adviseur@utrecht.example", "UTR-2026-0123", "Beveiliging publieke gebouwen", "services", date(2026, 12, 1), date(2029, 11, 30), "1100000.00", "5", False, False),
]

SROI_PARAGRAPH = (
    "De opdrachtnemer besteedt ten minste het SROI-percentage van de opdrachtsom aan Social Return, "
    "ingevuld volgens het bouwblokkenmodel, in overleg met de Regisseur Social Return."
)


def _agreement_pdf(contract: Contract) -> bytes:
    text = f"SROI-afspraken {contract.contract_number}".encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _suppliers() -> list[Supplier]:
    registry = list(Supplier.objects.filter(is_active=True).order_by("kvk_number", "branch_number")[:40:3])
    if len(registry) >= 8:
        return registry
    for kvk, branch, name, street, number, postcode, city in FALLBACK_SUPPLIERS:
        Supplier.objects.get_or_create(
            kvk_number=kvk,
            branch_number=branch,
            defaults={
                "legal_name": name, "street": street, "house_number": number, "postcode": postcode, "city": city,
                "is_main_branch": True, "email": f"info@{name.split()[0].lower()}.example", "phone": "026 300 00 00",
            },
        )
    return list(Supplier.objects.filter(kvk_number__in=[row[0] for row in FALLBACK_SUPPLIERS]).order_by("kvk_number"))


def seed_demo(*, stdout, style) -> None:
    suppliers = _suppliers()
    made = handed_over = 0
    with translation.override("nl"):
        for index, row in enumerate(CONTRACTS):
            slug, email, number, title, kind, start, end, value, percentage, hand_over, with_document = row
            organisation = Organisation.objects.filter(slug=slug).first()
            advisor = User.objects.filter(email=email).first()
            if organisation is None or advisor is None:
                continue
            if Contract.objects.filter(organisation=organisation, contract_number__iexact=number).exists():
                continue
            supplier = suppliers[index % len(suppliers)]
            with transaction.atomic():
                contract = Contract.objects.create(
                    organisation=organisation,
                    contract_number=number,
                    title=title,
                    kind=kind,
                    start_date=start,
                    end_date=end,
                    supplier=supplier,
                    contract_value=Decimal(value),
                    sroi_percentage=Decimal(percentage),
                    sroi_paragraph=SROI_PARAGRAPH,
                    department="Inkoop en Aanbesteden",
                    award_date=date(start.year, max(start.month - 1, 1), 15),
                    supplier_contact_name="Contactpersoon SROI",
                    supplier_contact_email=supplier.email or "sroi@opdrachtnemer.example",
                    supplier_contact_phone=supplier.phone,
                    remarks_for_coordinator="Opdrachtnemer heeft in de inschrijving een SROI-plan opgenomen." if index % 2 else "",
                    created_by=advisor,
                )
                contract.contact_persons.add(advisor)
            made += 1
            if with_document:
                upload = validate_upload(
                    SimpleUploadedFile(f"SROI-afspraken {number}.pdf", _agreement_pdf(contract), "application/pdf")
                )
                services.attachments_add(contract=contract, uploads=[upload], by=advisor)
            if hand_over and organisation.served_by_id:
                services.contract_hand_over(contract=contract, by=advisor)
                handed_over += 1
    stdout.write(style.SUCCESS(f"Contracts demo: {made} contracts added, {handed_over} handed over."))
