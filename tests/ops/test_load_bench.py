"""The load benchmark's pieces (bench/load.py): its journeys ask for pages that exist, its generator
builds the national shape (here in a few hundred rows), and a generated person of every role can log
in with the password and the TOTP code and make the write the load tool sends."""

import re
import uuid
from types import SimpleNamespace

import pytest
from django.urls import resolve

from bench import journeys, loaddata
from bench.totp import totp_code

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.parametrize("key", sorted(journeys.PAGES))
def test_every_journey_path_resolves_to_its_page(key):
    template, url_name = journeys.PAGES[key]
    values = {name: str(uuid.uuid4()) for name in re.findall(r"{(\w+)}", template)}
    assert resolve(journeys.path(key, **values)).view_name == url_name


def test_list_queries_vary_and_only_use_the_list_filters():
    import random

    rng = random.Random(1)
    queries = {journeys.list_query(rng) for _ in range(200)}
    assert len(queries) > 50
    used = {part.split("=")[0] for query in queries for part in query.split("&")}
    assert used <= {"per_page", "o", "page", "status", "behind", "year", "q"}


def test_totp_codes_are_the_ones_allauth_accepts():
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    secret = loaddata.totp_secret("iemand@load.example")
    assert totp_code(secret, at=30 * 1234) == format_hotp_value(hotp_value(secret, 1234))


@pytest.fixture
def tiny(db):
    # The generator relies on the shipped catalogues, as in a database fresh from the migrations; a
    # transactional test run earlier (the browser tests) flushes them.
    from tests.catalogue.factories import ship_catalogues

    ship_catalogues()
    info = loaddata.generate(loaddata.TINY, say=lambda message: None)
    return info


def test_the_generator_builds_the_shape_and_leaves_its_marker(tiny):
    from django.db.models import Count

    M = loaddata.model
    scale = loaddata.TINY
    organisations = M("Organisation").objects.filter(slug__startswith="load-")
    assert organisations.count() == scale.organisations
    assert set(organisations.values_list("kind", flat=True)) == {"authority", "service_point", "supplier"}
    people = M("User").objects.filter(email__endswith="@load.example")
    assert people.count() == scale.users
    roles = set(M("Membership").objects.filter(user__in=people).values_list("role", flat=True))
    assert roles == {"advisor", "coordinator", "supplier", "org_admin"}
    contracts = M("Contract").objects.filter(organisation__in=organisations)
    assert contracts.count() == scale.contracts
    assert set(contracts.values_list("status", flat=True)) == {s for s in loaddata.STATUSES}
    largest = contracts.values("organisation").annotate(n=Count("id")).order_by("-n").first()["n"]
    assert largest == scale.big_contracts
    assert M("Realisation").objects.filter(contract__in=contracts).count() == scale.realisations
    assert M("Supplier").objects.count() >= scale.registry
    assert M("SupplierAccess").objects.filter(contract__in=contracts).exists()
    assert M("ReportingPeriod").objects.filter(contract__in=contracts, status="open").exists()
    # The totals the triggers keep agree with the realisations written by COPY.
    totals = M("ContractTotal").objects.filter(contract__in=contracts)
    assert totals.exists()
    marker = loaddata.marker()
    assert marker["scale"]["contracts"] == scale.contracts
    assert marker["schema"] == loaddata.schema_fingerprint()


def _plan():
    from bench.load import build_plan

    args = SimpleNamespace(load_rate=80.0, load_list_rate=20.0, load_mixed_seconds=1, load_warmup=1,
                           load_ratio_seconds=1, load_workers=2)
    return build_plan(loaddata.TINY, args)


def _login(client, person):
    page = client.get(journeys.path("login")).content.decode()
    response = client.post(journeys.path("login"), {
        "csrfmiddlewaretoken": CSRF.search(page).group(1), "login": person["email"], "password": loaddata.PASSWORD,
    })
    assert response.status_code == 302 and "2fa" in response["Location"], response.status_code
    page = client.get(response["Location"]).content.decode()
    response = client.post(response["Location"], {
        "csrfmiddlewaretoken": CSRF.search(page).group(1), "code": totp_code(person["totp"]),
    })
    assert response.status_code == 302 and "2fa" not in response["Location"]


def _submit(client, url, data):
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    token = CSRF.search(page.content.decode()).group(1)
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


@pytest.mark.parametrize("role", ["advisor", "coordinator", "supplier"])
def test_a_generated_person_logs_in_and_makes_the_write_of_the_load_tool(tiny, role):
    from django.test import Client

    plan = _plan()
    person = next(p for p in plan["people"] if p["role"] == role and (role != "supplier" or p["submit_targets"]))
    client = Client(enforce_csrf_checks=True)
    _login(client, person)
    quantities = {"persons": "1", "hours_per_week": "36", "months": "12", "hours": "400", "invoice_amount": "10000"}
    if role == "advisor":
        response = _submit(client, journeys.path("help_request_create"), {
            "subject": "Vraag", "category": str(plan["categories"][0]), "contract": "", "question": "Telt dit mee?",
        })
        assert response.status_code == 302
        assert client.get(journeys.path("contract", contract=person["contracts"][0])).status_code == 200
    elif role == "coordinator":
        contract, block = person["agreement_targets"][0]
        response = _submit(client, journeys.path("agreement_create", contract=contract),
                           {"block": block, "description": "Leerwerkplek", **quantities})
        assert response.status_code == 302
        contract, realisation = person["to_assess"][0]
        page = client.get(journeys.path("realisation", contract=contract, realisation=realisation))
        token = CSRF.search(page.content.decode()).group(1)
        response = client.post(journeys.path("realisation_approve", contract=contract, realisation=realisation),
                               {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert loaddata.model("Realisation").objects.get(uuid=realisation).status == "approved"
    else:
        contract, period, agreement, start, end = person["submit_targets"][0]
        response = _submit(client, journeys.path("portal_realisation_create", contract=contract, period=period), {
            "agreement": agreement, "period_start": start, "period_end": end, "candidate_reference": "LB-100",
            **quantities, "months": "3",
        })
        assert response.status_code == 302
        assert client.get(journeys.path("portal_home")).status_code == 200


def test_the_generator_works_on_a_database_without_the_shipped_knowledge_base(db):
    # A transactional test (the browser tests) flushes every table, the shipped categories included.
    from knowledgebase.models import Article, Category
    from tests.catalogue.factories import ship_catalogues

    Article.objects.all().delete()
    Category.objects.all().delete()
    ship_catalogues()
    loaddata.generate(loaddata.TINY, say=lambda message: None)
    assert Article.objects.filter(slug__startswith="load-artikel-").count() == loaddata.TINY.articles
    assert Category.objects.exists()


# In a process of its own: importing Locust patches the standard library with gevent.
CPU_METER_SCRIPT = r"""
import subprocess, sys, time
import gevent
from bench import load_driver
marker = sys.argv[1]
load_driver.PLAN.update(server_marker=marker, database="no-such-database-" + marker)
meter = load_driver.CpuMeter()
gevent.sleep(0.6)
burner = subprocess.Popen([sys.executable, "-c", "import sys, time\nend = time.process_time() + 2.0\n"
                           "while time.process_time() < end: pass", marker])
while burner.poll() is None:
    gevent.sleep(0.05)
gevent.sleep(0.6)
used = meter.stop()
print(used["server"], used["machine"])
"""


def test_the_cpu_meter_counts_a_server_process_that_started_and_ended_within_the_phase():
    """Django closes a database connection after CONN_MAX_AGE and opens another; a worker may be
    replaced. A process that lived only inside the measured phase still used the machine."""
    import subprocess
    import sys

    marker = f"cpu-meter-{uuid.uuid4().hex}"
    done = subprocess.run([sys.executable, "-c", CPU_METER_SCRIPT, marker], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    server, machine = (float(v) for v in done.stdout.split()[-2:])
    assert server >= 1.2  # of the 2 s it burned; the last reading may miss up to 0.5 s of it
    assert machine >= server


IDLE_WORKER_SCRIPT = r"""
import subprocess, sys, time
from bench import load_driver
marker = sys.argv[1]
load_driver.PLAN.update(server_marker="no-such-server-" + marker, worker_marker=marker, database="no-such-database")
# A worker that is still busy for 1 s of CPU (what an earlier phase queued), then waits for work.
worker = subprocess.Popen([sys.executable, "-c", "import sys, time\nend = time.process_time() + 1.0\n"
                           "while time.process_time() < end: pass\ntime.sleep(60)", marker])
time.sleep(0.3)
waited = load_driver.wait_for_idle_worker(quiet=1.0, step=0.5, timeout=30)
cpu = load_driver._cpu(worker.pid)
worker.kill()
print(waited, cpu)
"""


def test_a_read_only_phase_waits_until_the_worker_has_delivered_what_was_queued():
    """The mixed phase's writes queue e-mails; the empty-page phase must not be charged with them."""
    import subprocess
    import sys

    marker = f"idle-worker-{uuid.uuid4().hex}"
    done = subprocess.run([sys.executable, "-c", IDLE_WORKER_SCRIPT, marker], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    waited, cpu = (float(v) for v in done.stdout.split()[-2:])
    assert cpu >= 0.95  # the wait ended only after the worker's work was done
    assert 1.0 <= waited < 30
