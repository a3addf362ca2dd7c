"""The reporting cycle: periods per rhythm, the final report a month after the end date, reminders
before the due date and once when late, and the coordinator's view of late reports."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from monitoring import services as monitoring_services
from portal import services
from portal.models import ReportingPeriod
from portal.periods import schedule
from tests.contracts.factories import ContractFactory
from tests.factories import member
from tests.portal.conftest import AMSTERDAM, TODAY, invite, running_contract
from wizzr.models import OutboxMessage, Role

pytestmark = pytest.mark.django_db
D = datetime.date


def at(*args, fold: int = 0):
    """Stop the clock at a wall-clock moment in Amsterdam."""
    return time_machine.travel(datetime.datetime(*args, tzinfo=AMSTERDAM, fold=fold), tick=False)


def rows(contract) -> list[tuple]:
    return list(
        ReportingPeriod.objects.filter(contract=contract)
        .order_by("period_start")
        .values_list("period_start", "period_end", "due_date", "kind", "status")
    )


def test_quarterly_schedule_ends_with_the_final_report_a_month_after_the_end_date():
    periods = schedule(start=D(2026, 1, 1), end=D(2027, 12, 31), rhythm="quarterly")
    assert len(periods) == 8
    assert (periods[0].period_start, periods[0].period_end, periods[0].due_date) == (D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 30))
    assert [p.kind for p in periods].count("final") == 1
    assert periods[-1].kind == "final" and periods[-1].period_end == D(2027, 12, 31) and periods[-1].due_date == D(2028, 1, 31)


@pytest.mark.parametrize(("rhythm", "count"), [("monthly", 24), ("half_yearly", 4), ("yearly", 2)])
def test_other_rhythms(rhythm, count):
    periods = schedule(start=D(2026, 1, 1), end=D(2027, 12, 31), rhythm=rhythm)
    assert len(periods) == count and periods[-1].period_end == D(2027, 12, 31)


def test_a_term_that_is_not_whole_periods_ends_with_a_short_final_period():
    periods = schedule(start=D(2026, 2, 15), end=D(2026, 9, 10), rhythm="quarterly")
    assert [(p.period_start, p.period_end) for p in periods] == [
        (D(2026, 2, 15), D(2026, 5, 14)), (D(2026, 5, 15), D(2026, 8, 14)), (D(2026, 8, 15), D(2026, 9, 10)),
    ]


def test_periods_open_once_they_have_started_and_late_ones_are_overdue(running):
    created = services.periods_open(contract=running, today=TODAY)
    assert [p.period_start for p in created] == [D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1), D(2026, 10, 1)]
    assert [p.status for p in created] == ["overdue", "overdue", "overdue", "open"]
    assert services.periods_open(contract=running, today=TODAY) == []


def test_no_periods_before_the_agreements_are_recorded(accepted):
    assert services.periods_open(contract=accepted, today=TODAY) == []


def test_a_change_of_rhythm_applies_from_the_next_period_and_opens_what_has_started(running, carol):
    services.periods_open(contract=running, today=D(2026, 2, 1))
    with at(2026, 5, 20, 11, 0):
        monitoring_services.contract_set_rhythm(contract=running, rhythm="monthly", by=carol)
    starts = list(ReportingPeriod.objects.filter(contract=running).values_list("period_start", "period_end"))
    assert starts == [(D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 4, 30)), (D(2026, 5, 1), D(2026, 5, 31))]
    upcoming = services.upcoming_periods(contract=running, today=D(2026, 5, 20))
    assert [(p.period_start, p.period_end) for p in upcoming[:2]] == [(D(2026, 6, 1), D(2026, 6, 30)), (D(2026, 7, 1), D(2026, 7, 31))]
    assert len(upcoming) == 19 and upcoming[-1].kind == "final"


def test_the_daily_run_reminds_the_supplier_before_the_due_date_once(running, sam):
    services.periods_open(contract=running, today=D(2026, 1, 5))
    assert services.reporting_cycle_run(today=D(2026, 4, 20))["reminded"] == 0
    counts = services.reporting_cycle_run(today=D(2026, 4, 24))
    assert counts["reminded"] == 1
    assert services.reporting_cycle_run(today=D(2026, 4, 25))["reminded"] == 0
    mail = OutboxMessage.objects.get(template="supplier_report_due", channel="email")
    assert mail.to_email == sam.email and mail.context["due_date"] == "30 april 2026"


def test_a_late_report_is_reported_once_to_supplier_and_coordinator(running, sam, carol):
    services.periods_open(contract=running, today=D(2026, 1, 5))
    counts = services.reporting_cycle_run(today=D(2026, 5, 2))
    assert counts["overdue"] >= 1 and counts["overdue_notified"] == 1
    assert OutboxMessage.objects.filter(template="supplier_report_overdue", to_email=sam.email).count() == 1
    assert OutboxMessage.objects.filter(template="supplier_report_overdue_coordinator", to_email=carol.email).count() == 1
    services.reporting_cycle_run(today=D(2026, 5, 3))
    assert OutboxMessage.objects.filter(template__startswith="supplier_report_overdue", channel="email").count() == 2


def test_the_emails_to_suppliers_render_in_dutch_html_and_text(running, sam, django_capture_on_commit_callbacks, mailoutbox):
    services.periods_open(contract=running, today=D(2026, 1, 5))
    with django_capture_on_commit_callbacks(execute=True):
        services.reporting_cycle_run(today=D(2026, 5, 2))
    to_sam = [m for m in mailoutbox if m.to == [sam.email]]
    assert to_sam and "is te laat" in to_sam[0].subject
    assert "Dien de rapportage zo snel mogelijk in" in to_sam[0].body
    assert "<p>" in to_sam[0].alternatives[0][0]


def test_the_work_queue_filters_contracts_with_late_reports(client, carol, running, renkum_contract):
    services.periods_open(contract=running, today=TODAY)
    client.force_login(carol)
    page = client.get(reverse("monitoring:work_queue"), {"reports_overdue": "true"}).content.decode()
    assert running.contract_number in page and renkum_contract.contract_number not in page


def test_the_coordinator_lists_late_reports_of_their_service_point_only(client, carol, frank, running):
    services.periods_open(contract=running, today=TODAY)
    client.force_login(carol)
    page = client.get(reverse("portal:overdue")).content.decode()
    assert page.count(running.contract_number) == 3
    client.force_login(frank)
    assert running.contract_number not in client.get(reverse("portal:overdue")).content.decode()


def test_the_task_runs(running):
    from portal.tasks import run_reporting_cycle

    assert run_reporting_cycle.delay().get()["opened"] >= 1


# Periods open on the events that change a contract's cycle -----------------------------------------


def test_recording_agreements_after_the_start_opens_the_late_periods_overdue_and_the_current_one_open(
    client, accepted, carol, per_month_block
):
    with at(2026, 11, 27, 14, 0):
        running_contract(accepted, carol, per_month_block)
    assert rows(accepted) == [
        (D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 30), "regular", "overdue"),
        (D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 31), "regular", "overdue"),
        (D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 31), "regular", "overdue"),
        (D(2026, 10, 1), D(2026, 12, 31), D(2027, 1, 31), "regular", "open"),
    ]
    upcoming = services.upcoming_periods(contract=accepted, today=D(2026, 11, 27))
    assert upcoming[0].period_start == D(2027, 1, 1)
    assert (upcoming[-1].kind, upcoming[-1].period_end, upcoming[-1].due_date) == ("final", D(2027, 12, 31), D(2028, 1, 31))

    # The supplier sees the late periods as late and only what starts later as coming.
    supplier = member("sam@testmans.example", services.supplier_organisation_for(contract=accepted), Role.SUPPLIER)
    invite(accepted, supplier)
    client.force_login(supplier)
    with at(2026, 11, 27, 14, 5):
        page = client.get(reverse("portal:contract", args=[accepted.uuid])).content.decode()
    assert page.count("portal-period--overdue") == 3 and page.count("portal-period--open") == 1
    coming = page.split("Volgende periodes:")[1].split("</p>")[0]
    assert "1-1-2027 t/m 31-3-2027" in coming and "2026 t/m" not in coming


def test_a_term_that_has_ended_opens_all_periods_with_the_final_report_due_a_month_after_the_end(
    arnhem, alice, carol, per_month_block
):
    contract = ContractFactory(
        organisation=arnhem, contract_number="INK-2025-0007", start_date=D(2025, 7, 1), end_date=D(2026, 6, 30),
        handed_over=True, handed_over_by=alice,
    )
    with at(2026, 7, 10, 9, 0):
        running_contract(contract, carol, per_month_block)
    assert [(start, kind, status) for start, _, _, kind, status in rows(contract)] == [
        (D(2025, 7, 1), "regular", "overdue"), (D(2025, 10, 1), "regular", "overdue"),
        (D(2026, 1, 1), "regular", "overdue"), (D(2026, 4, 1), "final", "open"),
    ]
    assert ReportingPeriod.objects.get(contract=contract, kind="final").due_date == D(2026, 7, 31)
    assert services.upcoming_periods(contract=contract, today=D(2026, 7, 10)) == []


def test_starting_execution_opens_the_period_that_has_begun(running, carol):
    assert rows(running) == []
    with at(2026, 2, 10, 16, 0):
        monitoring_services.contract_start_execution(contract=running, by=carol)
    assert rows(running) == [(D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 30), "regular", "open")]


def test_a_later_end_date_makes_the_final_period_a_regular_one_and_continues_the_schedule(
    client, running, carol, alice
):
    running.end_date = D(2026, 9, 30)
    running.save()
    services.periods_open(contract=running, today=D(2026, 11, 27))
    assert rows(running)[-1] == (D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 31), "final", "overdue")

    # The coordinator applies the buyer's change request: the term runs to mid 2027.
    from knowledgebase.models import HelpRequest
    from tests.knowledgebase.factories import HelpRequestFactory
    from tests.knowledgebase.test_change_requests import form_data

    change = HelpRequestFactory(
        organisation=running.organisation, asker=alice, kind=HelpRequest.Kind.CHANGE, contract=running,
        subject="Verlenging", question="Verlengd tot en met 30 juni 2027.",
    )
    client.force_login(carol)
    with at(2026, 11, 27, 10, 0):
        response = client.post(
            reverse("knowledgebase:change_request_apply", args=[change.uuid]),
            form_data(running, end_date="2027-06-30", contract_value=str(running.contract_value).replace(".", ",")),
        )
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.end_date == D(2027, 6, 30)
    assert rows(running)[-2:] == [
        (D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 31), "regular", "overdue"),
        (D(2026, 10, 1), D(2026, 12, 31), D(2027, 1, 31), "regular", "open"),
    ]
    upcoming = services.upcoming_periods(contract=running, today=D(2026, 11, 27))
    assert [(p.period_start, p.period_end, p.kind) for p in upcoming] == [
        (D(2027, 1, 1), D(2027, 3, 31), "regular"), (D(2027, 4, 1), D(2027, 6, 30), "final"),
    ]


def test_an_earlier_end_date_re_makes_the_final_period_and_drops_empty_periods_after_it(running, sam):
    services.periods_open(contract=running, today=TODAY)
    q2 = ReportingPeriod.objects.get(contract=running, period_start=D(2026, 4, 1))
    services.period_submit(period=q2, nothing_to_report=True, reason="Voorbereiding", by=sam)
    ReportingPeriod.objects.filter(contract=running, period_start=D(2026, 7, 1)).update(reminded_at="2026-10-25T06:30:00Z")

    running.end_date = D(2026, 8, 15)
    with at(2026, 11, 27, 10, 0):
        running.save()
    assert rows(running) == [
        (D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 30), "regular", "overdue"),
        (D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 31), "regular", "submitted"),
        (D(2026, 7, 1), D(2026, 8, 15), D(2026, 9, 15), "final", "overdue"),
    ]
    assert ReportingPeriod.objects.get(contract=running, kind="final").reminded_at is None
    assert services.upcoming_periods(contract=running, today=TODAY) == []

    # Moving the end date before a period with a report keeps that report: the period stays.
    running.end_date = D(2026, 5, 15)
    with at(2026, 11, 27, 10, 5):
        running.save()
    assert [(start, end, kind) for start, end, _, kind, _ in rows(running)] == [
        (D(2026, 1, 1), D(2026, 3, 31), "regular"), (D(2026, 4, 1), D(2026, 5, 15), "final"),
    ]


def test_a_contract_closed_early_opens_nothing_more_and_reminds_nobody(running, sam, carol):
    services.periods_open(contract=running, today=D(2026, 1, 5))
    monitoring_services.contract_close(contract=running, outcome="not_realised", reason="Opdracht beëindigd", by=carol)
    running.refresh_from_db()
    counts = services.reporting_cycle_run(today=D(2026, 5, 2))
    assert counts == {"opened": 0, "overdue": 0, "reminded": 0, "overdue_notified": 0}
    assert rows(running) == [(D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 30), "regular", "open")]
    assert not OutboxMessage.objects.filter(template__startswith="supplier_report").exists()
    assert services.upcoming_periods(contract=running, today=D(2026, 5, 2)) == []


def test_the_daily_job_run_twice_changes_nothing_the_second_time(running, sam, carol):
    first = services.reporting_cycle_run(today=D(2026, 4, 24))
    stored = rows(running)
    second = services.reporting_cycle_run(today=D(2026, 4, 24))
    assert (first["opened"], first["reminded"]) == (2, 1)
    assert second == {"opened": 0, "overdue": 0, "reminded": 0, "overdue_notified": 0}
    assert rows(running) == stored
    assert OutboxMessage.objects.filter(template="supplier_report_due", channel="email").count() == 1


# Month ends and daylight saving ---------------------------------------------------------------------


def test_a_quarter_from_31_january_runs_to_30_april_and_the_next_starts_on_1_may():
    periods = schedule(start=D(2026, 1, 31), end=D(2027, 1, 30), rhythm="quarterly")
    assert [(p.period_start, p.period_end, p.due_date) for p in periods] == [
        (D(2026, 1, 31), D(2026, 4, 30), D(2026, 5, 31)),
        (D(2026, 5, 1), D(2026, 7, 30), D(2026, 8, 30)),
        (D(2026, 7, 31), D(2026, 10, 30), D(2026, 11, 30)),
        (D(2026, 10, 31), D(2027, 1, 30), D(2027, 2, 28)),
    ]
    assert all(b.period_start == a.period_end + datetime.timedelta(days=1) for a, b in zip(periods, periods[1:], strict=False))


def test_a_contract_from_31_january_opens_its_quarters_on_their_first_day(arnhem, alice, carol, per_month_block):
    contract = ContractFactory(
        organisation=arnhem, contract_number="INK-2026-0131", start_date=D(2026, 1, 31), end_date=D(2027, 1, 30),
        handed_over=True, handed_over_by=alice,
    )
    with at(2026, 4, 30, 23, 30):
        running_contract(contract, carol, per_month_block)
        assert rows(contract) == [(D(2026, 1, 31), D(2026, 4, 30), D(2026, 5, 31), "regular", "open")]
    with at(2026, 5, 1, 0, 30):  # 22:30 UTC on 30 April: the Amsterdam date counts
        assert services.reporting_cycle_run()["opened"] == 1
    assert rows(contract)[-1][:2] == (D(2026, 5, 1), D(2026, 7, 31))


def test_a_run_at_0230_on_the_night_summer_time_starts_uses_the_amsterdam_date(running, sam):
    with at(2026, 3, 29, 2, 30):  # this wall-clock time does not exist: the clocks jump from 2:00 to 3:00
        counts = services.reporting_cycle_run()
    assert counts["opened"] == 1
    assert rows(running) == [(D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 30), "regular", "open")]


def test_the_daily_job_in_the_repeated_hour_when_summer_time_ends_opens_and_reminds_once(running, sam, carol):
    with at(2026, 10, 25, 2, 30, fold=0):
        first = services.reporting_cycle_run()
    with at(2026, 10, 25, 2, 30, fold=1):  # an hour later, the same wall-clock time
        second = services.reporting_cycle_run()
    assert (first["opened"], first["reminded"]) == (4, 1)
    assert second == {"opened": 0, "overdue": 0, "reminded": 0, "overdue_notified": 0}
    assert [status for *_, status in rows(running)] == ["overdue", "overdue", "open", "open"]
    assert OutboxMessage.objects.filter(template="supplier_report_due", channel="email").count() == 1


# The demo runs the scheduled jobs for real --------------------------------------------------------------


def demo_celery(tmp_path, **env: str) -> dict:
    """Load the settings as ``make run`` does (``CELERY_BROKER_DIR``) and queue the daily job."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "from portal.tasks import run_reporting_cycle; run_reporting_cycle.delay(); "
        "print(json.dumps({'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, "
        "'options': s.CELERY_BROKER_TRANSPORT_OPTIONS}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_DIR", "WIZZR_TESTING"}}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "wizzr.settings", "DEBUG": "1",
             "DATABASE_URL": "postgresql://unused/unused", **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_queues_tasks_as_files_for_a_real_worker(tmp_path):
    for folder in ("queue", "processed", "control"):
        (tmp_path / folder).mkdir()
    values = demo_celery(tmp_path, CELERY_BROKER_DIR=str(tmp_path))
    assert values["eager"] is False and values["broker"].startswith("filesystem://")
    assert values["options"]["data_folder_in"] == values["options"]["data_folder_out"] == str(tmp_path / "queue")
    queued = list((tmp_path / "queue").iterdir())
    assert len(queued) == 1 and "portal.tasks.run_reporting_cycle" in queued[0].read_text()


def test_with_redis_the_broker_dir_is_ignored(tmp_path):
    values = demo_celery(tmp_path, CELERY_BROKER_DIR=str(tmp_path), REDIS_URL="memory://")
    assert values["broker"] == "memory://" and values["eager"] is False
