"""Demo data of the coordinator's workspace (a ``WIZZR_SEED_HOOKS`` entry, run after the contracts hook).

Links the shipped catalogues to the demo service points and adds demo contracts of its own, one
per stage of the follow-up, with agreements and realisations in every assessment status. It goes
through the services, so the status history, audit events and notifications are the real ones.
Idempotent: a demo contract that exists is left as it is.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone, translation

from catalogue.models import CatalogueVersion, PsoDiscount, Region
from contracts.models import Contract
from monitoring import services
from monitoring.models import Agreement, ContractStatusChange, Realisation
from suppliers.models import PsoCertificate, Supplier
from wizzr.models import Membership, Organisation, Role, User
from wizzr.units import add_months

REGIONS = {
    "oost-nederland": ["steunpunt-sroi-midden-gelderland"],
    "utrecht": ["sroi-servicepunt-utrecht"],
}

SUPPLIERS = [
    ("09310001", "093100010001", "Groenbedrijf De Linge B.V.", "Industrieweg 14", "6827 AB", "Arnhem"),
    ("09310002", "093100020001", "Schoonmaakbedrijf Veluwezoom B.V.", "Nijverheidsweg 3", "6862 EA", "Oosterbeek"),
    ("09310003", "093100030001", "Infra Utrecht Wegenbouw B.V.", "Kanaalweg 80", "3526 KM", "Utrecht"),
]

# The social enterprise the Utrecht demo contract buys catering from (its invoices are social purchasing).
SOCIAL_ENTERPRISE = ("09310004", "093100040001", "Buurtkeuken Lombok", "Kanaalstraat 21", "3531 CJ", "Utrecht")

UTRECHT_COORDINATOR = ("regisseur@servicepunt-utrecht.example", "Pieter de Groot", "Regisseur Social Return")
MG_COORDINATOR = "regisseur@steunpunt-mg.example"
DAY = timedelta(days=1)


def seed_demo(*, stdout, style) -> None:
    with translation.override("nl"), transaction.atomic():
        linked = _link_regions()
        _pso_demo()
        made = _demo_contracts()
        _pso_demo_discounts()
    stdout.write(style.SUCCESS(f"Monitoring demo: {linked} service points linked, {made} demo contracts added."))


def _link_regions() -> int:
    linked = 0
    for region_slug, service_point_slugs in REGIONS.items():
        region = Region.objects.filter(slug=region_slug).first()
        if region is None:
            continue
        for service_point in Organisation.objects.filter(slug__in=service_point_slugs):
            region.service_points.add(service_point)
            linked += 1
    return linked


# Demo values, not Oost-Nederland's: the region gives a PSO discount on the obligation, but its
# percentages were not available. They show how the rule works in the demo.
DEMO_PSO_DISCOUNTS = {"step_1": Decimal("5"), "step_2": Decimal("10"), "step_3": Decimal("15"), "pso_30": Decimal("20")}
DEMO_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _pso_demo() -> None:
    """The demo's PSO rule in the Oost-Nederland version Midden-Gelderland uses today, and a checked
    PSO certificate (trede 2) of the demo's green-maintenance company, so that its contracts show the
    discount."""
    service_point = Organisation.objects.filter(slug=REGIONS["oost-nederland"][0]).first()
    version = CatalogueVersion.objects.in_force_for(service_point=service_point, on=timezone.localdate())
    if version is None:
        return
    for level, percentage in DEMO_PSO_DISCOUNTS.items():
        PsoDiscount.objects.get_or_create(version=version, level=level, defaults={"percentage": percentage})
    kvk = SUPPLIERS[0][0]
    if PsoCertificate.objects.filter(kvk_number=kvk).exists():
        return
    coordinator = User.objects.filter(email=MG_COORDINATOR).first()
    today, now = timezone.localdate(), timezone.now()
    certificate = PsoCertificate.objects.create(
        kvk_number=kvk,
        level=PsoCertificate.Level.STEP_2,
        valid_from=add_months(today, -14),
        valid_until=add_months(today, 22),
        organisation=service_point,
        stored_name=uuid.uuid4().hex,
        display_name="PSO-certificaat Groenbedrijf De Linge.pdf",
        size=len(DEMO_PDF),
        content_type="application/pdf",
        sha256=hashlib.sha256(DEMO_PDF).hexdigest(),
        checked_by=coordinator,
        checked_at=now,
        recorded_by=coordinator,
        recorded_at=now,
    )
    certificate.path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    certificate.path.write_bytes(DEMO_PDF)


def _pso_demo_discounts() -> None:
    """Demo contracts that existed before the certificate get the discount that is due."""
    from monitoring.pso import pso_discount_update

    for contract in Contract.objects.filter(contract_number__startswith="SROI-DEMO-", supplier__kvk_number=SUPPLIERS[0][0]):
        pso_discount_update(
            contract=contract,
            version=services.follow_up_for(contract=contract).catalogue_version,
            reason="certificate_recorded",
        )


def _supplier(kvk: str, branch: str, name: str, street: str, postcode: str, city: str) -> Supplier:
    supplier, _ = Supplier.objects.get_or_create(
        kvk_number=kvk,
        branch_number=branch,
        defaults={"legal_name": name, "street": street, "postcode": postcode, "city": city, "is_main_branch": True},
    )
    return supplier


def _utrecht_coordinator() -> User | None:
    service_point = Organisation.objects.filter(slug="sroi-servicepunt-utrecht").first()
    if service_point is None:
        return None
    email, name, job_title = UTRECHT_COORDINATOR
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=os.environ.get("DEMO_PASSWORD", "wizzr-demo-2026"), name=name, job_title=job_title
        )
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    Membership.objects.get_or_create(user=user, organisation=service_point, role=Role.COORDINATOR)
    return user


def _contract(number: str, org: Organisation, supplier: Supplier, **fields) -> tuple[Contract, bool]:
    """Create a demo contract as handed over (the follow-up is created and pinned by the signal)."""
    existing = Contract.objects.filter(organisation=org, contract_number=number).first()
    if existing is not None:
        return existing, False
    advisor = User.objects.filter(memberships__organisation=org, memberships__role=Role.ADVISOR).order_by("pk").first()
    contract = Contract.objects.create(
        organisation=org,
        contract_number=number,
        supplier=supplier,
        sroi_percentage=Decimal("5.00"),
        status=Contract.Status.HANDED_OVER,
        created_by=advisor,
        handed_over_by=advisor,
        supplier_contact_name="J. Verbeek",
        supplier_contact_email=f"sroi@{supplier.legal_name.split()[0].lower()}.example",
        **fields,
    )
    if advisor is not None:
        contract.contact_persons.add(advisor)
    return contract, True


def _block(contract: Contract, name_start: str):
    version = services.follow_up_for(contract=contract).catalogue_version
    return version.blocks.get(name__startswith=name_start)


def _agreement(contract, by, block_name, description, **quantities) -> Agreement:
    agreement = Agreement(contract=contract, block=_block(contract, block_name), description=description, **quantities)
    return services.agreement_save(agreement=agreement, bonuses=[], by=by)


def _realisation(contract, by, agreement, start, end, *, bonuses=(), **fields) -> Realisation:
    realisation = Realisation(
        contract=contract, agreement=agreement, block=agreement.block, period_start=start, period_end=end, **fields
    )
    return services.realisation_save(realisation=realisation, bonuses=bonuses, by=by)


def _backdate(contract: Contract, days_after_handover: list[int]) -> None:
    """Spread the status history over the contract's life instead of all at seeding time."""
    changes = list(ContractStatusChange.objects.filter(contract=contract).order_by("changed_at", "pk"))
    for change, days in zip(changes[1:], days_after_handover, strict=False):
        change.changed_at = contract.handed_over_at + timedelta(days=days)
        change.save(update_fields=["changed_at"])


def _demo_contracts() -> int:
    arnhem = Organisation.objects.filter(slug="gemeente-arnhem").first()
    renkum = Organisation.objects.filter(slug="gemeente-renkum").first()
    utrecht = Organisation.objects.filter(slug="gemeente-utrecht").first()
    sanne = User.objects.filter(email=MG_COORDINATOR).first()
    if not (arnhem and renkum and sanne):
        return 0
    groen, schoon, infra = (_supplier(*row) for row in SUPPLIERS)
    today = timezone.localdate()
    now = timezone.now()
    made = 0

    def months_ago(n: int) -> date:
        return add_months(today, -n)

    # 1. Accepted 20 days ago, agreements not yet made: the 14-day reminder is due.
    contract, new = _contract(
        "SROI-DEMO-01", arnhem, groen, title="Onderhoud groenvoorzieningen wijk Presikhaaf",
        start_date=today - timedelta(days=10), end_date=add_months(today, 24),
        contract_value=Decimal("480000.00"), handed_over_at=now - timedelta(days=20),
        kind=Contract.Kind.SERVICES, remarks_for_coordinator="Opdrachtnemer heeft al ervaring met SROI in Renkum.",
    )
    if new:
        made += 1
        services.contract_accept(contract=contract, by=sanne)

    # 2. Agreements made.
    contract, new = _contract(
        "SROI-DEMO-02", renkum, schoon, title="Schoonmaak gemeentelijke gebouwen",
        start_date=months_ago(1), end_date=add_months(today, 36),
        contract_value=Decimal("900000.00"), handed_over_at=now - timedelta(days=45), kind=Contract.Kind.SERVICES,
    )
    if new:
        made += 1
        services.contract_accept(contract=contract, by=sanne)
        _agreement(contract, sanne, "Participatiewet, uitkering korter", "Twee schoonmakers uit de Participatiewet, 24 uur per week",
                   persons=2, hours_per_week=Decimal("24"), months=Decimal("24"))
        _agreement(contract, sanne, "Werkervaringsplaats", "Drie werkervaringsplaatsen van zes maanden",
                   persons=3, months=Decimal("6"))
        services.agreements_record(contract=contract, by=sanne)
        _backdate(contract, [12])

    # 3. In progress: realisations approved, submitted and rejected.
    contract, new = _contract(
        "SROI-DEMO-03", arnhem, infra, title="Reconstructie Hoofdstraat en riolering",
        start_date=months_ago(10), end_date=add_months(today, 14),
        contract_value=Decimal("1200000.00"), handed_over_at=now - timedelta(days=297),
        kind=Contract.Kind.WORKS,
    )
    if new:
        made += 1
        services.contract_accept(contract=contract, by=sanne)
        werk = _agreement(contract, sanne, "Participatiewet, uitkering langer", "Grondwerker via het werkbedrijf, 32 uur per week",
                          persons=1, hours_per_week=Decimal("32"), months=Decimal("24"))
        bbl = _agreement(contract, sanne, "BBL-leerling", "Twee BBL-leerlingen infra, niveau 2",
                         persons=2, months=Decimal("12"))
        ww = _agreement(contract, sanne, "WW, uitkering langer", "Uitvoerder uit de WW",
                        persons=1, hours_per_week=Decimal("36"), months=Decimal("12"))
        services.agreements_record(contract=contract, by=sanne)
        start = contract.start_date
        r1 = _realisation(contract, sanne, werk, start, add_months(start, 3) - DAY,
                          hours_per_week=Decimal("32"), candidate_reference="GW-01")
        r2 = _realisation(contract, sanne, bbl, start, add_months(start, 6) - DAY, candidate_reference="BBL-A")
        r3 = _realisation(contract, sanne, werk, add_months(start, 3), add_months(start, 6) - DAY,
                          hours_per_week=Decimal("32"), candidate_reference="GW-01")
        r4 = _realisation(contract, sanne, ww, add_months(start, 2), add_months(start, 5) - DAY,
                          hours_per_week=Decimal("36"), candidate_reference="U-07")
        services.realisation_assess(realisation=r1, decision="approved", by=sanne)
        services.realisation_assess(realisation=r2, decision="approved", by=sanne)
        services.realisation_assess(
            realisation=r4, decision="rejected", by=sanne,
            reason="De arbeidsovereenkomst ontbreekt; lever die aan zonder persoonsgegevens.",
        )
        del r3  # stays submitted: waiting for assessment
        _backdate(contract, [20, 40])

    # 4. Ending within 30 days, approved value below the obligation: the reminder is due.
    contract, new = _contract(
        "SROI-DEMO-04", arnhem, schoon, title="Glasbewassing stadskantoor",
        start_date=months_ago(23), end_date=today + timedelta(days=20),
        contract_value=Decimal("220000.00"), handed_over_at=now - timedelta(days=700),
        kind=Contract.Kind.SERVICES,
    )
    if new:
        made += 1
        services.contract_accept(contract=contract, by=sanne)
        agreement = _agreement(contract, sanne, "Werkervaringsplaats", "Werkervaringsplaats glazenwasser",
                               persons=2, months=Decimal("12"))
        services.agreements_record(contract=contract, by=sanne)
        realisation = _realisation(contract, sanne, agreement, contract.start_date,
                                   add_months(contract.start_date, 6) - DAY, candidate_reference="GL-1")
        services.realisation_assess(realisation=realisation, decision="approved", by=sanne)
        _backdate(contract, [15, 30])

    # 5. Closed: partly realised.
    contract, new = _contract(
        "SROI-DEMO-05", renkum, groen, title="Bermbeheer buitengebied 2023–2025",
        start_date=date(2023, 6, 1), end_date=date(2025, 5, 31),
        contract_value=Decimal("600000.00"), handed_over_at=timezone.make_aware(datetime(2023, 5, 15, 10)),
        kind=Contract.Kind.SERVICES,
    )
    if new:
        made += 1
        services.contract_accept(contract=contract, by=sanne)
        agreement = _agreement(contract, sanne, "Participatiewet en Wajong", "Medewerker groen uit het doelgroepregister",
                               persons=1, hours_per_week=Decimal("24"), months=Decimal("12"))
        services.agreements_record(contract=contract, by=sanne)
        realisation = _realisation(contract, sanne, agreement, date(2023, 9, 1), date(2024, 4, 30),
                                   hours_per_week=Decimal("24"), candidate_reference="BB-3")
        services.realisation_assess(realisation=realisation, decision="approved", by=sanne)
        services.contract_close(
            contract=contract, outcome="partly", by=sanne,
            reason="De medewerker is na acht maanden uitgevallen; de opdrachtnemer vond geen vervanging.",
        )
        _backdate(contract, [20, 120, 760])

    # 6. Utrecht: another region, with a bonus, hours and purchasing.
    pieter = _utrecht_coordinator()
    if utrecht is not None and pieter is not None:
        contract, new = _contract(
            "SROI-DEMO-U1", utrecht, infra, title="Herinrichting Croeselaan",
            start_date=months_ago(6), end_date=add_months(today, 18),
            contract_value=Decimal("2000000.00"), handed_over_at=now - timedelta(days=183),
            kind=Contract.Kind.WORKS,
        )
        if new:
            made += 1
            services.contract_accept(contract=contract, by=pieter)
            werk = _agreement(contract, pieter, "Participatiewet, uitkering langer",
                              "Twee medewerkers uit de Participatiewet",
                              persons=2, hours_per_week=Decimal("36"), months=Decimal("12"))
            uren = _agreement(contract, pieter, "Maatschappelijke activiteit", "Vrijwilligerswerk voor buurthuis Lombok",
                              hours=Decimal("80"))
            inkoop = _agreement(contract, pieter, "Afname bij een sociale", "Inkoop catering bij sociale onderneming",
                                invoice_amount=Decimal("25000.00"))
            services.agreements_record(contract=contract, by=pieter)
            fifty_plus = services.follow_up_for(contract=contract).catalogue_version.bonuses.get(kind="age")
            start = contract.start_date
            r1 = _realisation(contract, pieter, werk, start, add_months(start, 3) - DAY,
                              hours_per_week=Decimal("36"), candidate_reference="CR-12", birth_year=start.year - 56,
                              bonuses=[fifty_plus])
            r2 = _realisation(contract, pieter, uren, start, add_months(start, 2) - DAY, hours=Decimal("24"))
            invoice_date = start + timedelta(days=20)
            _realisation(contract, pieter, inkoop, invoice_date, invoice_date, invoice_amount=Decimal("12345.67"),
                         invoice_number=f"BKL-{invoice_date:%Y}-017", invoice_date=invoice_date,
                         social_company=_supplier(*SOCIAL_ENTERPRISE))
            services.realisation_assess(realisation=r1, decision="approved", by=pieter)
            services.realisation_assess(realisation=r2, decision="approved", by=pieter)
    return made
