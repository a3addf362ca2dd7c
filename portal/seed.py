"""Demo data of the supplier portal (a ``WIZZR_SEED_HOOKS`` entry, after the monitoring hook).

A supplier login ``leverancier@bouwbedrijf.example`` of the demo construction company (Bouwbedrijf
Van den Heuvel, KvK 12345678), invited to four of its contracts in different states: running with
assessed, rejected, empty and late reports; just started; ended with a shortfall in a recovery
period; closed in full. Idempotent.
"""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone, translation

from contracts.models import Contract
from monitoring import services as monitoring_services
from monitoring.models import Agreement, Realisation
from portal import services
from portal.lasting import lasting_outcomes_run
from portal.models import ReportingPeriod, SupplierAccess
from suppliers.models import Supplier
from wizzr.models import Membership, Organisation, Role, User
from wizzr.units import add_months

SUPPLIER_EMAIL = "leverancier@bouwbedrijf.example"
SUPPLIER_NAME = "Sanne van den Heuvel"
KVK = "12345678"
COORDINATOR = "regisseur@steunpunt-mg.example"
DAY = timedelta(days=1)


def seed_demo(*, stdout, style) -> None:
    with translation.override("nl"), transaction.atomic():
        made = _seed()
    if made is None:
        stdout.write("Supplier portal demo: the demo authorities or coordinator are missing; skipped.")
        return
    stdout.write(style.SUCCESS(f"Supplier portal demo: {SUPPLIER_EMAIL} follows the demo contracts; {made} contracts added."))


def _company_supplier() -> Supplier:
    supplier = Supplier.objects.filter(kvk_number=KVK, is_main_branch=True).order_by("branch_number").first()
    if supplier is None:
        supplier, _ = Supplier.objects.get_or_create(
            kvk_number=KVK, branch_number="000012345678",
            defaults={
                "legal_name": "Bouwbedrijf Van den Heuvel B.V.", "trade_name": "Van den Heuvel Bouw", "is_main_branch": True,
                "street": "Westervoortsedijk", "house_number": "71", "postcode": "6827 AT", "city": "Arnhem",
                "email": "info@vandenheuvelbouw.example",
            },
        )
    return supplier


def _supplier_user(company: Organisation) -> User:
    user = User.objects.filter(email=SUPPLIER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=SUPPLIER_EMAIL, password=os.environ.get("DEMO_PASSWORD", "wizzr-demo-2026"),
            name=SUPPLIER_NAME, job_title="SROI-contactpersoon",
        )
    EmailAddress.objects.update_or_create(user=user, email=SUPPLIER_EMAIL, defaults={"verified": True, "primary": True})
    Membership.objects.get_or_create(user=user, organisation=company, role=Role.SUPPLIER)
    return user


def _contract(number, org, supplier, coordinator, **fields) -> tuple[Contract, bool]:
    existing = Contract.objects.filter(organisation=org, contract_number=number).first()
    if existing is not None:
        return existing, False
    advisor = User.objects.filter(memberships__organisation=org, memberships__role=Role.ADVISOR).order_by("pk").first()
    contract = Contract.objects.create(
        organisation=org, contract_number=number, supplier=supplier, sroi_percentage=Decimal("5.00"),
        status=Contract.Status.HANDED_OVER, created_by=advisor, handed_over_by=advisor,
        supplier_contact_name=SUPPLIER_NAME, supplier_contact_email=SUPPLIER_EMAIL, kind=Contract.Kind.WORKS, **fields,
    )
    if advisor is not None:
        contract.contact_persons.add(advisor)
    monitoring_services.contract_accept(contract=contract, by=coordinator)
    return contract, True


def _agreement(contract, by, block_start, description, **quantities) -> Agreement:
    version = monitoring_services.follow_up_for(contract=contract).catalogue_version
    agreement = Agreement(contract=contract, block=version.blocks.get(name__startswith=block_start), description=description, **quantities)
    return monitoring_services.agreement_save(agreement=agreement, bonuses=[], by=by)


def _enter(period, user, agreement, start, end, **fields) -> Realisation:
    realisation = Realisation(
        contract=period.contract, agreement=agreement, block=agreement.block, period_start=start, period_end=end, **fields
    )
    return services.supplier_realisation_save(period=period, realisation=realisation, bonuses=[], by=user)


def _seed() -> int | None:
    arnhem = Organisation.objects.filter(slug="gemeente-arnhem").first()
    renkum = Organisation.objects.filter(slug="gemeente-renkum").first()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    if not (arnhem and renkum and coordinator):
        return None
    supplier = _company_supplier()
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    contracts = []

    # 1. Running for eleven months: an assessed quarter (one approved, one rejected), a quarter with
    #    nothing to report, a late quarter and the current one open.
    contract, new = _contract(
        "SROI-DEMO-LEV-01", arnhem, supplier, coordinator, title="Nieuwbouw brede school Schuytgraaf",
        start_date=add_months(today, -11), end_date=add_months(today, 13), contract_value=Decimal("2400000.00"),
        handed_over_at=now - timedelta(days=340),
    )
    contracts.append(contract)
    if new:
        made += 1
        werk = _agreement(contract, coordinator, "Werkervaringsplaats", "Twee werkervaringsplaatsen op de bouwplaats",
                          persons=2, months=Decimal("6"))
        pw = _agreement(contract, coordinator, "Participatiewet, uitkering korter", "Timmerman uit de Participatiewet, 32 uur",
                        persons=1, hours_per_week=Decimal("32"), months=Decimal("24"))
        monitoring_services.agreements_record(contract=contract, by=coordinator)
    # 2. Agreements just made: the first quarter is open, nothing entered yet.
    contract2, new2 = _contract(
        "SROI-DEMO-LEV-02", renkum, supplier, coordinator, title="Renovatie sporthal Doorwerth",
        start_date=add_months(today, -1), end_date=add_months(today, 23), contract_value=Decimal("650000.00"),
        handed_over_at=now - timedelta(days=50),
    )
    contracts.append(contract2)
    if new2:
        made += 1
        _agreement(contract2, coordinator, "BBL-leerling", "Een BBL-leerling timmeren, niveau 2", persons=1, months=Decimal("12"))
        monitoring_services.agreements_record(contract=contract2, by=coordinator)
    # 3. Ended two months ago below the obligation: a recovery period runs.
    contract3, new3 = _contract(
        "SROI-DEMO-LEV-03", arnhem, supplier, coordinator, title="Herinrichting Rijnkade",
        start_date=add_months(today, -26), end_date=add_months(today, -2), contract_value=Decimal("400000.00"),
        handed_over_at=now - timedelta(days=800),
    )
    contracts.append(contract3)
    if new3:
        made += 1
        follow_up = monitoring_services.follow_up_for(contract=contract3)
        follow_up.reporting_rhythm = "yearly"
        follow_up.save(update_fields=["reporting_rhythm"])
        werk3 = _agreement(contract3, coordinator, "Werkervaringsplaats", "Vier werkervaringsplaatsen", persons=4, months=Decimal("6"))
        monitoring_services.agreements_record(contract=contract3, by=coordinator)

    company = services.supplier_organisation_for(contract=contract)
    user = _supplier_user(company)
    for item in contracts:
        item.refresh_from_db()
        SupplierAccess.objects.get_or_create(
            contract=item, user=user, defaults={"organisation": company, "email": SUPPLIER_EMAIL, "name": SUPPLIER_NAME}
        )
        services.periods_open(contract=item, today=today)

    if new:
        first, second = ReportingPeriod.objects.filter(contract=contract).order_by("period_start")[:2]
        ok = _enter(first, user, werk, first.period_start, first.period_end, candidate_reference="WP-01")
        wrong = _enter(first, user, pw, first.period_start + 14 * DAY, first.period_end, hours_per_week=Decimal("32"),
                       candidate_reference="PW-03")
        # A placement that ended with the first quarter: six months on, its lasting outcome is asked.
        placed = _enter(first, user, pw, first.period_start, first.period_end, hours_per_week=Decimal("32"),
                        candidate_reference="PW-01")
        services.period_submit(period=first, nothing_to_report=False, by=user)
        monitoring_services.realisation_assess(realisation=ok, decision="approved", by=coordinator)
        monitoring_services.realisation_assess(realisation=placed, decision="approved", by=coordinator)
        monitoring_services.realisation_assess(
            realisation=wrong, decision="rejected", by=coordinator,
            reason="De arbeidsovereenkomst ontbreekt; voeg een geanonimiseerde kopie toe en controleer de begindatum.",
        )
        services.period_submit(period=second, nothing_to_report=True, reason="Ruwbouw door onderaannemer; geen plaatsingen.", by=user)
    if new3:
        for period in ReportingPeriod.objects.filter(contract=contract3).order_by("period_start"):
            if period.kind == ReportingPeriod.Kind.FINAL:
                done = _enter(period, user, werk3, contract3.end_date - 89 * DAY, contract3.end_date, candidate_reference="WP-11")
                services.period_submit(period=period, nothing_to_report=False, by=user)
                monitoring_services.realisation_assess(realisation=done, decision="approved", by=coordinator)
            else:
                services.period_submit(period=period, nothing_to_report=True, reason="Voorbereiding; nog geen uitvoering.", by=user)
        services.settlement_record(
            contract=contract3, outcome="partly", reason="Twee van de vier werkervaringsplaatsen zijn niet ingevuld.",
            recovery_deadline=add_months(today, 2), withholding_amount=None, withholding_reason="", by=coordinator,
        )
    ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN, due_date__lt=today).update(status=ReportingPeriod.Status.OVERDUE)
    # The lasting outcomes that are due are asked at once, as the daily job would (it changes nothing twice).
    lasting_outcomes_run(today=today)
    return made
