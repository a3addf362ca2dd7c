"""The help-request pages in Dutch: dates with Dutch month names, and ids that occur once."""

import datetime
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledgebase.models import HelpRequest
from tests.knowledgebase.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|[A-Z][a-z]+ber)\b")


@pytest.fixture
def december_question(arnhem, alice):
    help_request = HelpRequestFactory(organisation=arnhem, asker=alice, subject="Vraag in december")
    moment = timezone.make_aware(datetime.datetime(2026, 12, 4, 23, 36))
    HelpRequest.objects.filter(pk=help_request.pk).update(updated_at=moment, created_at=moment)
    return help_request


def test_my_help_requests_show_the_date_with_a_dutch_month(client, alice, december_question):
    client.force_login(alice)
    html = client.get(reverse("knowledgebase:help_request_list")).content.decode()
    assert "4 december 2026 23:36" in html
    assert not ENGLISH_MONTH.search(re.sub(r"<[^>]+>", " ", html))


def test_the_coordinators_queue_shows_the_date_with_a_dutch_month(client, carol, december_question):
    client.force_login(carol)
    html = client.get(reverse("knowledgebase:help_request_queue")).content.decode()
    assert "4 december 2026 23:36" in html


def test_the_coordinators_help_request_page_has_no_duplicate_ids(client, carol, december_question):
    client.force_login(carol)
    html = client.get(reverse("knowledgebase:help_request_detail", args=[december_question.uuid])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    # Both forms still have their status field, each labelled by its own id.
    assert 'for="id_status"' in html and 'for="id_status_change_status"' in html


def test_the_status_form_without_a_reply_still_changes_the_status(client, carol, december_question):
    client.force_login(carol)
    response = client.post(
        reverse("knowledgebase:help_request_status", args=[december_question.uuid]), {"status": "in_progress"}
    )
    assert response.status_code == 302
    december_question.refresh_from_db()
    assert december_question.status == "in_progress"
