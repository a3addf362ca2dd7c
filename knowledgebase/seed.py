"""Demo data of the knowledge base (a ``WIZZR_SEED_HOOKS`` entry, run after the contracts hook).

Loads the shipped articles (overwriting them with the newest text) and adds a few help requests:
an open question about a contract, an answered one with a reply, and a change passed on.
Idempotent: a demo help request that exists is left as it is.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation

from knowledgebase.content import load_shipped
from knowledgebase.models import Article, Category, HelpRequest, HelpRequestReply
from knowledgebase.search import refresh_search_words
from wizzr.models import Organisation, User

DEMO_REQUESTS = [
    # asker e-mail, organisation slug, kind, subject, question, category slug, status, reply (coordinator), days ago
    (
        "adviseur@arnhem.example", "gemeente-arnhem", HelpRequest.Kind.QUESTION,
        "Telt een BBL-leerling bij de onderaannemer mee?",
        "De opdrachtnemer van ons groencontract wil een BBL-leerling laten werken bij een onderaannemer. "
        "Telt dat mee voor de SROI-verplichting, en welk bouwblok hoort daarbij?",
        "social-return", HelpRequest.Status.OPEN, "", 2,
    ),
    (
        "adviseur@renkum.example", "gemeente-renkum", HelpRequest.Kind.QUESTION,
        "Geconsolideerd overzicht voor de raad",
        "Voor de jaarrapportage aan de raad wil ik een overzicht van alle contracten met social return. "
        "Kan ik dat uit WIZZR halen?",
        "monitoren", HelpRequest.Status.ANSWERED,
        "Ja. Kies ‘Monitoren contracten’ en dan ‘Geconsolideerd’. Met de knop ‘Exporteren’ krijgt u het overzicht "
        "als Excel-bestand; WIZZR vraagt daarvoor nog één keer uw wachtwoord.",
        6,
    ),
    (
        "adviseur@arnhem.example", "gemeente-arnhem", HelpRequest.Kind.CHANGE,
        "Looptijd verlengd met een jaar",
        "Het contract is met een jaar verlengd (optiejaar gelicht). De nieuwe einddatum is een jaar later dan nu "
        "in WIZZR staat. De verlengingsbrief stuur ik na.",
        None, HelpRequest.Status.OPEN, "", 1,
    ),
]

COORDINATOR = "regisseur@steunpunt-mg.example"


def seed_demo(*, stdout, style) -> None:
    with translation.override("nl"), transaction.atomic():
        created, updated = load_shipped(article_model=Article, category_model=Category, overwrite=True)
        made = _help_requests()
    refresh_search_words()
    stdout.write(
        style.SUCCESS(f"Kennisbank demo: {created} articles added, {updated} refreshed, {made} help requests added.")
    )


def _help_requests() -> int:
    from contracts.models import Contract

    coordinator = User.objects.filter(email=COORDINATOR).first()
    made = 0
    for email, org_slug, kind, subject, question, category, status, reply, days_ago in DEMO_REQUESTS:
        asker = User.objects.filter(email=email).first()
        organisation = Organisation.objects.filter(slug=org_slug).first()
        if asker is None or organisation is None or organisation.served_by is None:
            continue
        if HelpRequest.objects.filter(asker=asker, subject=subject).exists():
            continue
        contract = (
            Contract.objects.filter(organisation=organisation)
            .exclude(status=Contract.Status.DRAFT)
            .order_by("created_at")
            .first()
        )
        if kind == HelpRequest.Kind.CHANGE and contract is None:
            continue
        moment = timezone.now() - timedelta(days=days_ago)
        help_request = HelpRequest.objects.create(
            organisation=organisation,
            service_point=organisation.served_by,
            asker=asker,
            kind=kind,
            subject=subject,
            question=question,
            category=Category.objects.filter(slug=category).first() if category else None,
            contract=contract,
            status=status,
            created_at=moment,
            updated_at=moment,
        )
        if reply and coordinator is not None:
            HelpRequestReply.objects.create(
                organisation=organisation,
                help_request=help_request,
                author=coordinator,
                body=reply,
                created_at=moment + timedelta(hours=3),
            )
            help_request.updated_at = moment + timedelta(hours=3)
            help_request.save(update_fields=["updated_at"])
        made += 1
    return made
