"""The national-scale database of the load benchmark: organisations, people, contracts, agreements,
realisations, the supplier portal, help requests, knowledge-base articles and the 2.6 M registry.

Everything is written through the models' metadata (``bulk_create``, or COPY into
``Model._meta.db_table`` with the models' own columns), so moving a model to another app does not
break it. Models are looked up by class name over all installed apps for the same reason.

``generate(scale)`` fills an empty, migrated database; ``marker()`` reads the row it leaves behind
when it has finished, with the scale and the schema it was built for (see ``schema_fingerprint``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
import time
import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

MARKER_TABLE = "bench_load_marker"
PASSWORD = "load-bench-2026"  # noqa: S105 — synthetic users of the bench database, the same for all (hashed once)
TOTP_SECRET_PREFIX = "LOADBENCH"  # noqa: S105 — every user has a TOTP authenticator; the load tool computes codes
BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Scale:
    service_points: int = 4
    authorities: int = 28
    companies: int = 8  # supplier companies with portal users
    users: int = 400
    contracts: int = 20_000
    big_contracts: int = 10_000  # of the largest authority: its advisors have 10 k contracts in view
    realisations: int = 200_000
    registry: int = 2_600_000
    articles: int = 200  # generated, besides the shipped ones
    help_requests: int = 2_000
    seed: int = 2026

    @property
    def organisations(self) -> int:
        return self.service_points + self.authorities + self.companies


NATIONAL = Scale()
# For the tests: the same shape in a few hundred rows.
TINY = Scale(service_points=2, authorities=4, companies=2, users=30, contracts=120, big_contracts=60,
             realisations=600, registry=500, articles=3, help_requests=10)

TITLES = [
    "Onderhoud openbare ruimte", "Schoonmaak gemeentelijke gebouwen", "Groenonderhoud wijken", "Leerlingenvervoer",
    "Renovatie sporthal", "ICT-werkplekken", "Beveiliging stadhuis", "Catering en koffievoorziening", "Wegonderhoud",
    "Rioolvervanging", "Afvalinzameling", "Straatverlichting", "Inhuur adviseurs sociaal domein", "Bouw brede school",
    "Gladheidsbestrijding", "Drukwerk en post", "Energielevering", "Verhuisdiensten", "Jeugdhulp ambulant",
    "Hulpmiddelen Wmo", "Kantoormeubilair", "Beheer sportvelden", "Dakrenovatie", "Vervoer op maat",
]
CITIES = [
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda",
    "Nijmegen", "Arnhem", "Haarlem", "Enschede", "Amersfoort", "Apeldoorn", "Zwolle", "Leiden", "Maastricht",
    "Dordrecht", "Ede", "Leeuwarden", "Alkmaar", "Emmen", "Delft", "Venlo", "Deventer", "Helmond", "Hilversum",
    "Oss", "Amstelveen", "Zoetermeer", "Hengelo",
]
STATUSES = ["draft"] * 3 + ["handed_over"] * 10 + ["agreements_made"] * 17 + ["in_progress"] * 55 + ["closed"] * 15


def model(name: str):
    """The installed model class called ``name`` (whichever app holds it now)."""
    from django.apps import apps

    found = [m for m in apps.get_models() if m.__name__ == name]
    if len(found) != 1:
        raise LookupError(f"expected one model called {name}, found {len(found)}")
    return found[0]


def totp_secret(email: str) -> str:
    """The base32 TOTP secret of a generated user (derived from the e-mail address)."""
    import base64

    return base64.b32encode(hashlib.sha256(f"{TOTP_SECRET_PREFIX}:{email}".encode()).digest()[:20]).decode()


def schema_fingerprint() -> str:
    """A hash of every model's table and columns and of the migrations on disk: data built for
    another schema is not reused."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    parts = sorted(
        f"{m._meta.db_table}:{','.join(sorted(f.column for f in m._meta.concrete_fields))}"
        for m in apps.get_models()
    )
    loader = MigrationLoader(None, load=False)
    loader.load_disk()
    parts += sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def marker() -> dict | None:
    """What the finished generation recorded (scale, schema, timings), or None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT info FROM {MARKER_TABLE} ORDER BY id DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def _write_marker(info: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (id serial PRIMARY KEY, info text NOT NULL)")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (info) VALUES (%s)", [json.dumps(info)])  # noqa: S608


def copy_rows(model_class, rows) -> int:
    """COPY ``rows`` (dicts of attname → value) into ``model_class``'s table; fields a row lacks get
    their defaults (``auto_now`` fields the time now)."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    fields = [
        f for f in model_class._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"))
        and not getattr(f, "generated", False)
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = lambda: now
        elif f.has_default() and callable(f.default):
            defaults[f.attname] = f.get_default
        elif f.has_default():
            value = f.get_default()
            defaults[f.attname] = lambda value=value: value
        else:
            defaults[f.attname] = (lambda: None) if f.null else (lambda f=f: f.get_default())
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {connection.ops.quote_name(model_class._meta.db_table)} ({columns}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row([row[f.attname] if f.attname in row else defaults[f.attname]() for f in fields])
            count += 1
    return count


class Generator:
    def __init__(self, scale: Scale, *, say=print):
        self.scale = scale
        self.rng = random.Random(scale.seed)
        self.say = say
        from django.utils import timezone

        self.now = timezone.now()
        self.today = timezone.localdate()
        self.timings: dict[str, float] = {}

    def step(self, name: str, func):
        started = time.monotonic()
        result = func()
        self.timings[name] = round(time.monotonic() - started, 1)
        self.say(f"  {name}: {self.timings[name]} s")
        return result

    def run(self, *, registry_csv: Path | None = None) -> dict:
        from django.db import connection, transaction

        started = time.monotonic()
        self.step("registry", lambda: self.registry(registry_csv))
        with transaction.atomic():
            self.step("organisations and users", self.organisations_and_users)
            self.step("contracts", self.contracts)
            self.step("follow-ups and agreements", self.follow_ups_and_agreements)
            self.step("realisations", self.realisations)
            self.step("supplier portal", self.portal)
            self.step("knowledge base and help requests", self.knowledge_base)
        with connection.cursor() as cursor:
            self.step("analyze", lambda: cursor.execute("ANALYZE"))
        info = {
            "scale": asdict(self.scale),
            "schema": schema_fingerprint(),
            "generated": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "seconds": round(time.monotonic() - started, 1),
            "steps": self.timings,
            "load_average": round(__import__("os").getloadavg()[0], 1),
        }
        _write_marker(info)
        return info

    # The registry --------------------------------------------------------------------------------

    def registry(self, csv_path: Path | None) -> None:
        from suppliers.importer import import_rows, read_csv, rows_from_iterable
        from suppliers.synthetic import Registry

        Supplier = model("Supplier")
        if Supplier.objects.exists():
            raise RuntimeError("the registry is not empty: generate into a new database")
        if csv_path is not None and csv_path.exists():
            columns, records = read_csv(csv_path)
            report = import_rows(records, columns=columns)
        else:
            report = import_rows(rows_from_iterable(Registry(self.scale.registry, self.scale.seed)))
        self.say(f"    {report.inserted:,} establishments")

    # Organisations and people ----------------------------------------------------------------------

    def organisations_and_users(self) -> None:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from django.contrib.auth.hashers import make_password

        Organisation, User, Membership = model("Organisation"), model("User"), model("Membership")
        Region = model("Region")
        s, rng = self.scale, self.rng
        kinds = Organisation.Kind
        service_points = Organisation.objects.bulk_create(
            [
                Organisation(slug=f"load-steunpunt-{n}", name=f"SROI-steunpunt Regio {CITIES[n]}",
                             kind=kinds.SERVICE_POINT, city=CITIES[n], email=f"steunpunt{n}@load.example")
                for n in range(s.service_points)
            ]
        )
        authorities = Organisation.objects.bulk_create(
            [
                Organisation(slug=f"load-gemeente-{n}", name=f"Gemeente {CITIES[n % len(CITIES)]}"
                             + ("" if n < len(CITIES) else f" {n}"), kind=kinds.AUTHORITY,
                             served_by=service_points[n % s.service_points], city=CITIES[n % len(CITIES)])
                for n in range(s.authorities)
            ]
        )
        # Supplier companies: registry establishments that will get contracts (and portal users).
        Supplier = model("Supplier")
        pool_size = min(3_000, max(50, s.registry // 2))
        pool = list(Supplier.objects.filter(is_main_branch=True).order_by("?").values_list("pk", "kvk_number", "legal_name")[:pool_size])
        if len(pool) < s.companies + 10:
            pool = list(Supplier.objects.order_by("?").values_list("pk", "kvk_number", "legal_name")[:pool_size])
        self.company_suppliers = pool[: s.companies]
        self.supplier_pool = [pk for pk, _kvk, _name in pool[s.companies:]]
        companies = Organisation.objects.bulk_create(
            [
                Organisation(slug=f"load-opdrachtnemer-{n}", name=name[:200], kind=kinds.SUPPLIER, kvk_number=kvk)
                for n, (_pk, kvk, name) in enumerate(self.company_suppliers)
            ]
        )
        regions = list(Region.objects.order_by("pk"))
        for n, service_point in enumerate(service_points):
            if regions:
                regions[n % len(regions)].service_points.add(service_point)
        self.service_points, self.authorities, self.companies = service_points, authorities, companies

        # People: a tenth coordinators, a seventh supplier contacts, the rest advisors; the largest
        # authority has a tenth of the advisors.
        coordinators = max(s.service_points, s.users // 10)
        supplier_users = max(s.companies, s.users * 14 // 100)
        advisors = s.users - coordinators - supplier_users
        password = make_password(PASSWORD)  # the production hasher, once
        people = []  # (email, role, organisation)
        for n in range(coordinators):
            people.append((f"regisseur-{n:03d}@load.example", "coordinator", service_points[n % s.service_points]))
        big_advisors = max(2, advisors // 10)
        for n in range(advisors):
            organisation = authorities[0] if n < big_advisors else authorities[1 + n % (s.authorities - 1)]
            people.append((f"adviseur-{n:03d}@load.example", "advisor", organisation))
        for n in range(supplier_users):
            people.append((f"opdrachtnemer-{n:03d}@load.example", "supplier", companies[n % s.companies]))
        users = User.objects.bulk_create(
            [User(email=email, name=f"{role.capitalize()} {n}", password=password) for n, (email, role, _o) in enumerate(people)]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
        )
        Authenticator.objects.bulk_create(
            [Authenticator(user=u, type=Authenticator.Type.TOTP, data={"secret": totp_secret(u.email)}) for u in users]
        )
        memberships, seen_admin = [], set()
        for user, (_email, role, organisation) in zip(users, people, strict=True):
            memberships.append(Membership(user=user, organisation=organisation, role=role))
            if role == "advisor" and organisation.pk not in seen_admin:
                seen_admin.add(organisation.pk)
                memberships.append(Membership(user=user, organisation=organisation, role="org_admin"))
        Membership.objects.bulk_create(memberships)
        self.people = [(u, role, organisation) for u, (_e, role, organisation) in zip(users, people, strict=True)]
        self.coordinators_of = {}
        for user, role, organisation in self.people:
            if role == "coordinator":
                self.coordinators_of.setdefault(organisation.pk, []).append(user)
        rng.shuffle(self.supplier_pool)

    # Contracts -------------------------------------------------------------------------------------

    def contracts(self) -> None:
        Contract = model("Contract")
        s, rng = self.scale, self.rng
        others = self.authorities[1:]
        weights = [rng.random() + 0.3 for _ in others]
        owners = [self.authorities[0]] * s.big_contracts + rng.choices(others, weights, k=s.contracts - s.big_contracts)
        # A few suppliers get many contracts, most a few; each company gets about 0.4 % of them.
        supplier_weights = [1 / (i + 1) ** 0.7 for i in range(len(self.supplier_pool))]
        company_share = max(0.004 * len(self.company_suppliers), 5 * len(self.company_suppliers) / s.contracts)
        advisors_of = {}
        for user, role, organisation in self.people:
            if role == "advisor":
                advisors_of.setdefault(organisation.pk, []).append(user)
        rows = []
        for n, owner in enumerate(owners):
            start = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(0, 2800))
            end = start + datetime.timedelta(days=rng.randrange(365, 1826))
            status = rng.choice(STATUSES)
            if status == "closed" and end > self.today:
                status = "in_progress"
            if rng.random() < company_share:
                # A running contract of a company with portal users.
                supplier_id = rng.choice(self.company_suppliers)[0]
                status = "in_progress"
                start = self.today - datetime.timedelta(days=rng.randrange(200, 1500))
                end = self.today + datetime.timedelta(days=rng.randrange(90, 900))
            else:
                supplier_id = rng.choices(self.supplier_pool, supplier_weights)[0]
            value = Decimal(rng.randrange(20_000_00, 5_000_000_00)) / 100
            rows.append({
                "uuid": uuid.uuid4(),
                "organisation_id": owner.pk,
                "contract_number": f"{owner.slug[-2:].strip('-').upper()}-{start.year}-{n:05d}",
                "title": f"{rng.choice(TITLES)} {start.year}",
                "start_date": start,
                "end_date": end,
                "supplier_id": supplier_id,
                "contract_value": value,
                "sroi_percentage": Decimal("5.00"),
                "sroi_fixed_amount": (value * Decimal("0.04")).quantize(Decimal("0.01")) if n % 20 == 0 else None,
                "kind": rng.choice(["works", "services", "supplies"]),
                "status": status,
                "created_at": self.now,
                "created_by_id": rng.choice(advisors_of[owner.pk]).pk,
                "handed_over_at": None if status == "draft" else self.now,
                "department": rng.choice(["Openbare ruimte", "Sociaal domein", "Bedrijfsvoering", "Vastgoed", ""]),
            })
        copy_rows(Contract, rows)

    def follow_ups_and_agreements(self) -> None:
        Contract, FollowUp, Agreement = model("Contract"), model("ContractFollowUp"), model("Agreement")
        CatalogueVersion, BuildingBlock = model("CatalogueVersion"), model("BuildingBlock")
        rng = self.rng
        served_by = {a.pk: a.served_by_id for a in self.authorities}
        self.version_of = {}
        for service_point in self.service_points:
            version = CatalogueVersion.objects.in_force_for(service_point=service_point, on=self.today)
            if version is None:
                raise RuntimeError("no published building-block catalogue: are the migrations there?")
            self.version_of[service_point.pk] = version
        self.blocks_of = {
            v.pk: list(BuildingBlock.objects.filter(version=v).values_list("pk", "unit")) for v in self.version_of.values()
        }
        contracts = list(
            Contract.objects.filter(organisation__in=self.authorities).with_obligation()
            .values_list("pk", "organisation_id", "status", "start_date", "end_date", "obligation_amount", "supplier_id")
        )
        self.contract_rows = contracts
        follow_ups = []
        for pk, organisation_id, status, *_rest in contracts:
            if status == "draft":
                continue
            service_point = served_by[organisation_id]
            follow_ups.append({
                "uuid": uuid.uuid4(),
                "organisation_id": organisation_id,
                "contract_id": pk,
                "catalogue_version_id": self.version_of[service_point].pk,
                "coordinator_id": rng.choice(self.coordinators_of[service_point]).pk if rng.random() < 0.8 else None,
                "accepted_at": self.now,
                "reporting_rhythm": "quarterly",
                "agreements_recorded_at": None if status == "handed_over" else self.now,
                "created_at": self.now,
            })
        copy_rows(FollowUp, follow_ups)
        agreed = [c for c in contracts if c[2] in ("agreements_made", "in_progress", "closed")]
        rows = []
        for pk, organisation_id, _status, _start, _end, obligation, _supplier in agreed:
            blocks = self.blocks_of[self.version_of[served_by[organisation_id]].pk]
            parts = rng.randint(1, 4)
            for _ in range(parts):
                block_id, unit = rng.choice(blocks)
                rows.append({
                    "uuid": uuid.uuid4(),
                    "organisation_id": organisation_id,
                    "contract_id": pk,
                    "block_id": block_id,
                    "description": rng.choice(["Leerwerkplek", "Plaatsing kandidaat", "Stageplaats", "Inkoop bij SW-bedrijf"]),
                    "persons": 1,
                    "months": Decimal("12.0"),
                    "hours_per_week": Decimal("36.0") if unit == "per_year" else None,
                    "hours": Decimal("400.0") if unit == "per_hour" else None,
                    "invoice_amount": Decimal("10000.00") if unit == "invoice_percentage" else None,
                    "planned_value": ((obligation or Decimal(1000)) * Decimal(rng.uniform(0.6, 1.2)) / parts).quantize(Decimal("0.01")),
                    "created_at": self.now,
                })
        copy_rows(Agreement, rows)
        self.agreed = agreed

    def realisations(self) -> None:
        Agreement, Realisation = model("Agreement"), model("Realisation")
        s, rng = self.scale, self.rng
        agreements_of: dict[int, list[tuple[int, int]]] = {}
        ids = [c[0] for c in self.agreed]
        for pk, contract_id, block_id in Agreement.objects.filter(contract_id__in=ids).values_list("pk", "contract_id", "block_id"):
            agreements_of.setdefault(contract_id, []).append((pk, block_id))
        shares = [rng.random() + 0.2 for _ in self.agreed]
        total = sum(shares)
        counts = [int(s.realisations * share / total) for share in shares]
        for n in range(s.realisations - sum(counts)):  # what the rounding left, one each
            counts[n % len(counts)] += 1

        def rows():
            for (pk, organisation_id, _status, start, end, obligation, _supplier), count in zip(self.agreed, counts, strict=True):
                span = max((min(end, self.today) - start).days, 1)
                obligation = obligation or Decimal(1000)
                for _ in range(count):
                    agreement_id, block_id = rng.choice(agreements_of[pk])
                    period_start = start + datetime.timedelta(days=rng.randrange(0, span))
                    status = rng.choices(["approved", "submitted", "rejected"], [70, 20, 10])[0]
                    yield {
                        "uuid": uuid.uuid4(),
                        "organisation_id": organisation_id,
                        "contract_id": pk,
                        "agreement_id": agreement_id,
                        "block_id": block_id,
                        "period_start": period_start,
                        "period_end": period_start + datetime.timedelta(days=90),
                        "value": (obligation * Decimal(rng.uniform(0.005, 0.2))).quantize(Decimal("0.01")),
                        "status": status,
                        "rejection_reason": "Bewijs ontbreekt" if status == "rejected" else "",
                        "candidate_reference": f"K-{rng.randrange(1000, 9999)}",
                        "months": Decimal("3.00"),
                        "submitted_at": self.now,
                        "assessed_at": None if status == "submitted" else self.now,
                        "created_at": self.now,
                    }

        copy_rows(Realisation, rows())

    # The supplier portal: each company's contacts follow the company's running contracts ----------

    def portal(self) -> None:
        SupplierAccess, ReportingPeriod = model("SupplierAccess"), model("ReportingPeriod")
        company_of_supplier = {pk: company for (pk, _k, _n), company in zip(self.company_suppliers, self.companies, strict=True)}
        contacts_of: dict[int, list] = {}
        for user, role, organisation in self.people:
            if role == "supplier":
                contacts_of.setdefault(organisation.pk, []).append(user)
        quarter_start = datetime.date(self.today.year, 3 * ((self.today.month - 1) // 3) + 1, 1)
        previous_end = quarter_start - datetime.timedelta(days=1)
        previous_start = datetime.date(previous_end.year, 3 * ((previous_end.month - 1) // 3) + 1, 1)
        accesses, periods = [], []
        for pk, owner_id, status, start, _end, _obligation, supplier_id in self.contract_rows:
            company = company_of_supplier.get(supplier_id)
            if company is None or status != "in_progress" or start > previous_start:
                continue
            for user in contacts_of[company.pk]:
                accesses.append({"uuid": uuid.uuid4(), "organisation_id": company.pk, "contract_id": pk,
                                 "email": user.email, "name": user.name, "user_id": user.pk, "created_at": self.now})
            periods.append({"uuid": uuid.uuid4(), "organisation_id": owner_id, "contract_id": pk,
                            "kind": "regular", "period_start": previous_start, "period_end": previous_end,
                            "due_date": max(self.today + datetime.timedelta(days=20), previous_end + datetime.timedelta(days=30)),
                            "status": "open", "opened_at": self.now})
        copy_rows(SupplierAccess, accesses)
        copy_rows(ReportingPeriod, periods)

    # Knowledge base ---------------------------------------------------------------------------------

    def knowledge_base(self) -> None:
        Article, Category, HelpRequest = model("Article"), model("Category"), model("HelpRequest")
        rng = self.rng
        # The shipped categories, or one of its own when a database has none (a flushed test database).
        categories = list(Category.objects.all()) or [
            Category.objects.create(slug="load-algemeen", name_nl="Algemeen", name_en="General")
        ]
        subjects = ["bouwblok", "leerwerktraject", "rapportage", "verplichting", "inkoop", "statushouder",
                    "stageplaats", "werkervaring", "vast contract", "bonus", "eindafrekening", "herstelperiode"]
        for n in range(self.scale.articles):
            topic = rng.choice(subjects)
            article = Article(
                slug=f"load-artikel-{n}", category=rng.choice(categories), is_published=True, position=n,
                title_nl=f"Vraag over {topic} ({n})", summary_nl=f"Hoe werkt {topic} bij social return?",
                body_nl="\n\n".join(
                    f"Bij **{rng.choice(subjects)}** telt de {rng.choice(subjects)} mee voor de {topic}. "
                    "Lees ook de uitleg over het bouwblokkenmodel en de rapportage per kwartaal."
                    for _ in range(6)
                ),
                keywords_nl=" ".join(rng.sample(subjects, 3)),
            )
            article.save()
        from knowledgebase.search import refresh_search_words

        refresh_search_words()
        served_by = {a.pk: a.served_by_id for a in self.authorities}
        askers = [(u, o) for u, role, o in self.people if role == "advisor"]
        rows = []
        for _ in range(self.scale.help_requests):
            user, organisation = rng.choice(askers)
            rows.append({
                "uuid": uuid.uuid4(), "organisation_id": organisation.pk, "service_point_id": served_by[organisation.pk],
                "asker_id": user.pk, "kind": "question", "subject": f"Vraag over {rng.choice(subjects)}",
                "question": "Telt dit mee voor de SROI-verplichting van ons contract?",
                "category_id": rng.choice(categories).pk,
                "status": rng.choice(["open", "in_progress", "answered", "closed"]),
                "created_at": self.now, "updated_at": self.now,
            })
        copy_rows(HelpRequest, rows)


def generate(scale: Scale, *, registry_csv: Path | None = None, say=print) -> dict:
    return Generator(scale, say=say).run(registry_csv=registry_csv)
