"""Lasting outcomes through the supplier portal: the daily task asks the supplier contacts 6 and 12
months after a placement whether the person is still at work, reminds once when late (and tells the
coordinator), and the supplier contact answers in the portal."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from monitoring import services as monitoring_services
from monitoring.lasting import lasting_outcome_record
from monitoring.models import LastingOutcome, Realisation
from monitoring.services import WorkflowError
from portal.tasks import request_lasting_outcomes
from tests.monitoring.factories import agreement_for, realisation_for
from tests.portal.conftest import AMSTERDAM
from wizzr.models import AuditEvent, OutboxMessage
from wizzr.notifications import deliver

pytestmark = pytest.mark.django_db
D = datetime.date
A = LastingOutcome.Answer
START, END = D(2026, 7, 1), D(2026, 11, 30)  # the placement of the tests


def on(day: datetime.date):
    """Travel to 07:00 on ``day`` in Amsterdam, when the daily run has passed."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7, 0, tzinfo=AMSTERDAM), tick=False)


@pytest.fixture
def employment(running, carol, per_year_block):
    """An employment agreement on the running contract (besides its work-experience one)."""
    return agreement_for(running, per_year_block, by=carol, persons=2, hours_per_week=Decimal("36"), months=Decimal("12"))


def placed(contract, agreement, carol, *, reference="KV-01", start=START, end=END, decision="approved"):
    realisation = realisation_for(
        contract, agreement=agreement, by=carol, period_start=start, period_end=end,
        candidate_reference=reference, hours_per_week=Decimal("36"),
    )
    if decision:
        monitoring_services.realisation_assess(
            realisation=realisation, decision=decision, reason="Geen loonstrook" if decision == "rejected" else "", by=carol
        )
    realisation.refresh_from_db()
    return realisation


def emails(template: str, to: str | None = None):
    rows = OutboxMessage.objects.filter(template=template, channel=OutboxMessage.Channel.EMAIL)
    return rows.filter(to_email=to) if to else rows


def test_the_daily_task_asks_the_supplier_six_months_after_the_placement_once(running, employment, carol, sam):
    realisation = placed(running, employment, carol)

    with on(D(2027, 5, 29)):
        assert request_lasting_outcomes()["created"] == 0
    assert not LastingOutcome.objects.exists()

    with on(D(2027, 5, 30)):  # 30 November + 6 months
        counts = request_lasting_outcomes()
        again = request_lasting_outcomes()
    assert counts == {"created": 1, "requested": 1, "reminded": 0}
    assert again == {"created": 0, "requested": 0, "reminded": 0}
    outcome = LastingOutcome.objects.get()
    assert (outcome.realisation, outcome.months_after, outcome.due_on, outcome.answer) == (realisation, 6, D(2027, 5, 30), "")
    assert outcome.organisation_id == running.organisation_id and outcome.contract == running
    row = emails("lasting_outcome_requested").get()
    assert row.to_email == sam.email
    assert row.context["references"] == "KV-01" and row.context["answer_by"] == "30 juni 2027"
    assert row.context["url"] == reverse("portal:lasting_outcome", args=[running.uuid, outcome.uuid])

    deliver(row.pk)
    message = mail.outbox[-1]
    assert message.subject == "Nog aan het werk? Blijvend resultaat INK-2026-0042"
    assert "kenmerk KV-01" in message.body and "uiterlijk 30 juni 2027" in message.body
    html = message.alternatives[0][0]
    assert "kenmerk KV-01" in html and reverse("portal:lasting_outcome", args=[running.uuid, outcome.uuid]) in html


def test_an_unanswered_question_is_reminded_once_a_month_later_and_the_coordinator_is_told(running, employment, carol, sam):
    placed(running, employment, carol)
    with on(D(2027, 5, 30)):
        request_lasting_outcomes()
    with on(D(2027, 6, 30)):  # the answer is expected by 30 June: not late yet
        assert request_lasting_outcomes()["reminded"] == 0
    with on(D(2027, 7, 1)):
        first = request_lasting_outcomes()
        second = request_lasting_outcomes()
    assert first["reminded"] == 1 and second["reminded"] == 0
    assert emails("lasting_outcome_reminder", sam.email).count() == 1
    coordinator_row = emails("lasting_outcome_overdue_coordinator").get()
    assert coordinator_row.to_email == carol.email
    assert coordinator_row.context["url"] == reverse("monitoring:lasting_outcomes", args=[running.uuid])
    deliver(coordinator_row.pk)
    assert "kenmerk KV-01" in mail.outbox[-1].body and "zelf vastleggen" in mail.outbox[-1].body


def test_a_question_first_asked_after_its_moment_gets_a_month_from_the_asking_and_no_reminder_that_day(
    running, employment, carol, sam
):
    placed(running, employment, carol)
    with on(D(2027, 7, 15)):  # the 6-month moment (30 May) passed six weeks ago: still asked, not late
        counts = request_lasting_outcomes()
    assert counts == {"created": 1, "requested": 1, "reminded": 0}
    assert emails("lasting_outcome_requested", sam.email).get().context["answer_by"] == "15 augustus 2027"
    assert not emails("lasting_outcome_reminder").exists() and not emails("lasting_outcome_overdue_coordinator").exists()
    with on(D(2027, 8, 15)):
        assert request_lasting_outcomes()["reminded"] == 0
    with on(D(2027, 8, 16)):
        assert request_lasting_outcomes()["reminded"] == 1
    assert emails("lasting_outcome_reminder", sam.email).get().context["answer_by"] == "15 augustus 2027"


def test_twelve_months_after_the_placement_the_second_question_is_asked(running, employment, carol, sam):
    realisation = placed(running, employment, carol)
    with on(D(2027, 5, 30)):
        request_lasting_outcomes()
    lasting_outcome_record(realisation=realisation, months_after=6, answer=A.WITH_EMPLOYER, by=sam, today=D(2027, 6, 2))
    with on(D(2027, 7, 2)):
        assert request_lasting_outcomes()["reminded"] == 0  # answered: nobody is reminded
    with on(D(2027, 11, 30)):
        counts = request_lasting_outcomes()
    assert counts["created"] == 1 and counts["requested"] == 1
    assert list(LastingOutcome.objects.order_by("months_after").values_list("months_after", "answer")) == [
        (6, A.WITH_EMPLOYER), (12, ""),
    ]
    assert emails("lasting_outcome_requested", sam.email).count() == 2


def test_only_the_last_period_of_a_person_and_only_employment_is_asked(running, employment, carol, sam, per_month_block):
    placed(running, employment, carol, start=D(2026, 1, 1), end=D(2026, 6, 30))
    last = placed(running, employment, carol, start=D(2026, 7, 1), end=D(2026, 11, 30))
    other = placed(running, employment, carol, reference="KV-02", start=D(2026, 1, 1), end=D(2026, 11, 30))
    work_experience = running.agreements.get(block=per_month_block)
    placed(running, work_experience, carol, reference="WE-01", start=D(2026, 7, 1), end=D(2026, 11, 30))
    placed(running, employment, carol, reference="KV-03", decision="rejected")

    with on(D(2027, 5, 30)):
        request_lasting_outcomes()
    assert set(LastingOutcome.objects.values_list("realisation", flat=True)) == {last.pk, other.pk}
    # Both questions of the contract in one e-mail.
    row = emails("lasting_outcome_requested", sam.email).get()
    assert row.context["count"] == 2 and row.context["url"] == reverse("portal:contract", args=[running.uuid])


def test_a_placement_found_long_after_its_moment_is_not_asked(running, employment, carol, sam):
    placed(running, employment, carol)
    with on(D(2027, 8, 30)):  # three months after 30 May: still asked
        assert request_lasting_outcomes()["created"] == 1
    LastingOutcome.objects.all().delete()
    with on(D(2027, 8, 31)):
        assert request_lasting_outcomes()["created"] == 0


def test_the_supplier_answers_a_question_in_the_portal(client, running, employment, carol, sam):
    realisation = placed(running, employment, carol)
    with on(D(2027, 5, 30)):
        request_lasting_outcomes()
    outcome = LastingOutcome.objects.get()
    with on(D(2027, 6, 2)):
        answer_in_the_portal(client, running, outcome, sam, realisation)


def test_the_start_page_marks_a_question_open_until_its_day_and_late_after_it(client, running, employment, carol, sam):
    placed(running, employment, carol)
    with on(D(2027, 5, 30)):
        request_lasting_outcomes()

    def tag():
        client.force_login(sam)  # a month later the earlier session has timed out
        html = client.get(reverse("portal:home")).content.decode()
        item = html[html.index('data-testid="lasting-question"'):]
        return item[: item.index("</li>")]

    with on(D(2027, 6, 30)):
        assert "portal-period--open" in tag() and "Te laat" not in tag()
    with on(D(2027, 7, 1)):
        assert "portal-period--overdue" in tag() and "Te laat" in tag()


def answer_in_the_portal(client, running, outcome, sam, realisation):
    client.force_login(sam)
    home = client.get(reverse("portal:home")).content.decode()
    assert "INK-2026-0042: is kandidaat KV-01 6 maanden na de plaatsing nog aan het werk?" in home
    assert "uiterlijk 30 juni 2027" in home
    page = client.get(reverse("portal:contract", args=[running.uuid])).content.decode()
    assert "nog te beantwoorden" in page

    url = reverse("portal:lasting_outcome", args=[running.uuid, outcome.uuid])
    form = client.get(url).content.decode()
    assert "Nog aan het werk na 6 maanden?" in form and "KV-01" in form and "Aan het werk bij een andere werkgever" in form

    empty = client.post(url, {})
    assert empty.status_code == 400 and "Kies of de kandidaat nog aan het werk is." in empty.content.decode()
    response = client.post(url, {"answer": A.ELSEWHERE})
    assert response.status_code == 302 and response.url == reverse("portal:contract", args=[running.uuid])
    outcome.refresh_from_db()
    assert (outcome.answer, outcome.reported_by, outcome.realisation) == (A.ELSEWHERE, sam, realisation)
    assert outcome.reported_at is not None
    event = AuditEvent.objects.get(action="lasting_outcome_reported")
    assert event.detail == {"contract": str(running.uuid), "months_after": 6, "answer": "elsewhere"}
    assert "is kandidaat KV-01" not in client.get(reverse("portal:home")).content.decode()


def test_another_company_or_a_colleague_not_invited_gets_404(client, running, employment, carol, sam, tom, uma):
    placed(running, employment, carol)
    with on(D(2027, 5, 30)):
        request_lasting_outcomes()
    outcome = LastingOutcome.objects.get()
    url = reverse("portal:lasting_outcome", args=[running.uuid, outcome.uuid])
    for stranger in (tom, uma):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.post(url, {"answer": A.NOT_EMPLOYED}).status_code == 404
        assert "KV-01" not in client.get(reverse("portal:home")).content.decode()
    # The question of one contract is not reachable through another contract of the same company.
    client.force_login(tom)
    other = tom.supplier_accesses.get().contract
    assert client.get(reverse("portal:lasting_outcome", args=[other.uuid, outcome.uuid])).status_code == 404
    outcome.refresh_from_db()
    assert outcome.answer == ""


def test_the_service_refuses_a_rejected_realisation_and_a_moment_not_yet_come(running, employment, carol, sam):
    rejected = placed(running, employment, carol, decision="rejected")
    with pytest.raises(WorkflowError, match="Deze realisatie is afgewezen"):
        lasting_outcome_record(realisation=rejected, months_after=6, answer=A.WITH_EMPLOYER, by=sam, today=D(2027, 6, 1))
    submitted = placed(running, employment, carol, reference="KV-02", decision=None)
    with pytest.raises(WorkflowError, match="nog niet beoordeeld"):
        lasting_outcome_record(realisation=submitted, months_after=6, answer=A.WITH_EMPLOYER, by=sam, today=D(2027, 6, 1))
    approved = placed(running, employment, carol, reference="KV-04")
    with pytest.raises(WorkflowError, match="pas vanaf 30 november 2027"):
        lasting_outcome_record(realisation=approved, months_after=12, answer=A.WITH_EMPLOYER, by=sam, today=D(2027, 6, 1))
    with pytest.raises(WorkflowError, match="Kies of de kandidaat"):
        lasting_outcome_record(realisation=approved, months_after=6, answer="yes", by=sam, today=D(2027, 6, 1))
    assert not LastingOutcome.objects.exists()
    assert rejected.status == Realisation.Status.REJECTED


def test_a_placement_that_went_on_is_asked_about_at_its_new_end(running, employment, carol, sam):
    first = placed(running, employment, carol, start=D(2026, 7, 1), end=D(2026, 9, 30))
    with on(D(2027, 3, 30)):
        request_lasting_outcomes()
    assert list(LastingOutcome.objects.values_list("realisation", flat=True)) == [first.pk]
    # The supplier reports a later period of the same person (reference in other letter case).
    later = placed(running, employment, carol, reference="kv-01", start=D(2026, 10, 1), end=D(2026, 11, 30))
    with on(D(2027, 4, 1)):
        request_lasting_outcomes()
    assert not LastingOutcome.objects.exists()
    with on(D(2027, 5, 30)):
        request_lasting_outcomes()
    assert list(LastingOutcome.objects.values_list("realisation", "months_after")) == [(later.pk, 6)]
