"""The reporting cycle: periods per rhythm, the final report a month after the end date, reminders
before the due date and once when late, and the coordinator's view of late reports."""

import datetime

import pytest
from django.urls import reverse

from monitoring import services as monitoring_services
from portal import services
from portal.models import ReportingPeriod
from portal.periods import schedule
from tests.portal.conftest import TODAY
from wizzr.models import OutboxMessage

pytestmark = pytest.mark.django_db
D = datetime.date


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


def test_a_change_of_rhythm_applies_from_the_next_period(running, carol):
    services.periods_open(contract=running, today=D(2026, 2, 1))
    monitoring_services.contract_set_rhythm(contract=running, rhythm="monthly", by=carol)
    services.periods_open(contract=running, today=D(2026, 5, 20))
    starts = list(ReportingPeriod.objects.filter(contract=running).values_list("period_start", "period_end"))
    assert starts == [(D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 4, 30)), (D(2026, 5, 1), D(2026, 5, 31))]


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
