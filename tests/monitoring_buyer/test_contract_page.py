"""The buyer's contract page: progress, agreements, realisations, attachments, timeline, the
contract information panel with the people who have access, and "Vragen en informatie"."""

import re

import pytest
from django.urls import reverse

from contracts.models import Contract
from monitoring.figures import contract_figures
from tests.contracts.factories import AttachmentFactory, ContractFactory
from wizzr.audit import audit_record

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    """What a reader sees: tags removed, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def page(client, contract) -> str:
    response = client.get(reverse("monitoring:contract", args=[contract.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_key_data_and_the_progress_figures(client, alice, portfolio):
    client.force_login(alice)
    html = page(client, portfolio.behind)
    assert '<h1 class="utrecht-heading-1">Onderhoud openbare ruimte</h1>' in html
    assert "INK-A1" in html and "Groenbedrijf Veluwe B.V." in html
    figures = text(html.split('id="progress-title"', 1)[1].split("</section>", 1)[0])
    assert "SROI-verplichting € 12.500,00" in figures
    assert "Afgesproken (gepland) € 12.500,00 100 % van de verplichting" in figures
    assert "Gerealiseerd (goedgekeurd) € 3.000,00 24 % van de verplichting" in figures
    assert "Daarnaast is € 1.000,00 ingediend" in figures
    assert "Carol Visser" in html


def test_a_contract_behind_schedule_is_explained_in_words(client, alice, portfolio):
    client.force_login(alice)
    html = page(client, portfolio.behind)
    schedule = text(html.split('data-testid="schedule"', 1)[1].split("</div>", 1)[0])
    assert "Loopt achter op schema" in schedule
    figures = contract_figures(portfolio.behind)
    assert (
        f"Gerealiseerd € 3.000,00 (24 %) terwijl {figures.elapsed_percentage} % van de looptijd verstreken is; "
        "naar rato verwacht € " in schedule
    )
    assert "De achterstand is" in schedule


def test_a_contract_on_track_says_so(client, alice, portfolio):
    client.force_login(alice)
    schedule = page(client, portfolio.on_track).split('data-testid="schedule"', 1)[1].split("</div>", 1)[0]
    assert "Op schema" in schedule and "De opdrachtnemer ligt op schema." in schedule


def test_a_contract_without_contract_value_has_no_obligation_to_measure(client, alice, arnhem):
    contract = ContractFactory(
        organisation=arnhem, contract_value=None, status=Contract.Status.AGREEMENTS_MADE, handed_over=True
    )
    client.force_login(alice)
    assert "Geen verplichting bekend" in page(client, contract)


def test_agreements_and_realisations_show_with_their_assessment(client, alice, portfolio):
    client.force_login(alice)
    html = page(client, portfolio.behind)
    agreements = html.split('id="agreements-title"', 1)[1].split("</section>", 1)[0]
    assert "Twee banen Participatiewet" in agreements and "€ 10.000,00" in agreements
    assert "Totaal afgesproken" in agreements
    realisations = html.split('id="realisations-title"', 1)[1].split("</section>", 1)[0]
    assert "Goedgekeurd" in realisations and "Ingediend" in realisations and "Afgewezen" in realisations
    assert "€ 3.000,00" in realisations and "€ 1.000,00" in realisations


def test_attachments_download_through_the_contracts_view(client, alice, portfolio, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    attachment = AttachmentFactory(contract=portfolio.behind, display_name="sroi-paragraaf.pdf")
    client.force_login(alice)
    html = page(client, portfolio.behind)
    url = reverse("contracts:attachment_download", args=[portfolio.behind.uuid, attachment.uuid])
    assert f'href="{url}"' in html and "sroi-paragraaf.pdf" in html
    assert client.get(url).status_code == 200


def test_the_timeline_shows_status_changes_and_attachment_events(client, alice, portfolio, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    attachment = AttachmentFactory(contract=portfolio.behind, display_name="plan-van-aanpak.pdf")
    audit_record(
        action="attachment_added",
        actor=alice,
        organisation=portfolio.behind.organisation,
        obj=attachment,
        detail={"contract": str(portfolio.behind.uuid)},
    )
    audit_record(
        action="contract_accepted", actor=None, organisation=portfolio.behind.organisation, obj=portfolio.behind
    )
    # Events of other contracts stay out.
    audit_record(action="contract_accepted", organisation=portfolio.on_track.organisation, obj=portfolio.on_track)
    client.force_login(alice)
    timeline = page(client, portfolio.behind).split('id="timeline-title"', 1)[1].split("</section>", 1)[0]
    assert "Status: In uitvoering" in timeline and "Status: Overgedragen" in timeline
    assert "Bijlage toegevoegd" in timeline and "plan-van-aanpak.pdf" in timeline and "Alice de Vries" in timeline
    assert timeline.count("Geaccepteerd door de SROI-coördinator") == 1


def test_the_information_panel_holds_all_fields_and_who_has_access_with_roles(client, alice, erin, portfolio):
    client.force_login(alice)
    html = page(client, portfolio.behind)
    panel = html.split('data-testid="contract-information"', 1)[1].split("</details>", 1)[0]
    assert "Tonen inkoopcontract informatie" in panel
    assert "Beheer openbare ruimte" in panel  # department
    assert "SROI-verplichting" in panel and "€ 12.500,00" in panel
    people = panel.split('data-testid="people"', 1)[1]
    alice_row = people.split("Alice de Vries", 1)[1].split("</tr>", 1)[0]
    assert "Contactpersoon voor dit contract, inkoopadviseur" in alice_row and "Gemeente Arnhem" in alice_row
    erin_row = people.split("Erin Bakker", 1)[1].split("</tr>", 1)[0]
    assert "beheerder organisatie" in erin_row
    carol_row = people.split("Carol Visser", 1)[1].split("</tr>", 1)[0]
    assert "Volgt dit contract op, Regisseur Social Return" in carol_row
    assert "Steunpunt SROI Midden-Gelderland" in carol_row
    # Members of other tenants have no access and are not listed.
    assert "Bob Jansen" not in people and "Dave Smit" not in people and "Frank Mulder" not in people
    assert people.index("Alice de Vries") < people.index("Erin Bakker") < people.index("Carol Visser")


def test_questions_and_information_names_the_assigned_coordinator_with_links(client, alice, carol, portfolio):
    carol.phone = "026 111 22 33"
    carol.save()
    client.force_login(alice)
    html = page(client, portfolio.behind)
    contact = html.split('data-testid="coordinator-contact"', 1)[1].split("</dl>", 1)[0]
    assert "Carol Visser" in contact and "carol@steunpunt-mg.example" in contact and "026 111 22 33" in contact
    change = reverse("knowledgebase:change_request_create", args=[portfolio.behind.uuid])
    assert f'href="{change}"' in html and "Wijziging doorgeven" in html
    assert f'href="{reverse("knowledgebase:help_request_create")}?contract={portfolio.behind.uuid}"' in html
    assert f'class="mb-robot" href="{reverse("knowledgebase:index")}"' in html


def test_without_an_assigned_coordinator_the_service_point_is_the_contact(client, alice, portfolio, service_point):
    client.force_login(alice)
    contact = page(client, portfolio.on_track).split('data-testid="coordinator-contact"', 1)[1].split("</dl>", 1)[0]
    assert service_point.name in contact and service_point.email in contact and "026 123 45 67" in contact


def test_coordinators_read_the_page_but_do_not_pass_on_changes(client, carol, portfolio):
    client.force_login(carol)
    html = page(client, portfolio.behind)
    assert "Wijziging doorgeven" not in html
    assert "Stel een hulpvraag" in html


def test_a_concept_is_continued_in_contract_entry(client, alice, portfolio):
    client.force_login(alice)
    response = client.get(reverse("monitoring:contract", args=[portfolio.draft.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:detail", args=[portfolio.draft.uuid])


def test_the_page_escapes_what_people_typed(client, alice, arnhem):
    contract = ContractFactory(
        organisation=arnhem,
        title="<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)>",
        handed_over=True,
    )
    client.force_login(alice)
    html = page(client, contract)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_a_closed_contract_shows_its_outcome(client, alice, portfolio):
    assert portfolio.closed.status == Contract.Status.CLOSED
    client.force_login(alice)
    html = page(client, portfolio.closed)
    assert "Afgerond" in html.split('data-testid="schedule"', 1)[1].split("</div>", 1)[0]


def test_the_timeline_shows_a_change_the_coordinator_applied(client, alice, carol, portfolio):
    audit_record(
        action="contract_changed",
        actor=carol,
        organisation=portfolio.behind.organisation,
        obj=portfolio.behind,
        detail={"title": ["Oude titel", "Nieuwe titel"]},
    )
    client.force_login(alice)
    timeline = page(client, portfolio.behind).split('id="timeline-title"', 1)[1].split("</section>", 1)[0]
    assert "Doorgegeven wijziging verwerkt door de SROI-coördinator" in timeline
    assert "Oude titel → Nieuwe titel" in timeline
    assert "Carol Visser" in timeline
