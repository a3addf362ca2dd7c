"""The pages the load benchmark's virtual users ask for, per role: paths with placeholders, the URL
name each must resolve to (checked by the tests), and the query strings of the list pages.

Kept apart from ``bench.load_driver`` so that it can be imported without Locust (which patches the
standard library with gevent on import).
"""

from __future__ import annotations

import random

# key: (path with {placeholders}, URL name it resolves to)
PAGES: dict[str, tuple[str, str]] = {
    "login": ("/accounts/login/", "account_login"),
    "empty": ("/toegankelijkheid/", "accessibility"),
    "start": ("/", "start"),
    "list": ("/monitoren/", "monitoring:individual"),
    "consolidated": ("/monitoren/geconsolideerd/", "monitoring:consolidated"),
    "contract": ("/monitoren/contracten/{contract}/", "monitoring:contract"),
    "typeahead": ("/leveranciers/zoeken/", "suppliers:search"),
    "kb_search": ("/kennisbank/", "knowledgebase:index"),
    "help_requests": ("/kennisbank/hulpvragen/", "knowledgebase:help_request_list"),
    "help_request_create": ("/kennisbank/hulpvragen/nieuw/", "knowledgebase:help_request_create"),
    "help_request_queue": ("/kennisbank/hulpvragen/steunpunt/", "knowledgebase:help_request_queue"),
    "work_queue": ("/monitoren/werkvoorraad/", "monitoring:work_queue"),
    "workspace": ("/monitoren/opvolging/{contract}/", "monitoring:workspace"),
    "realisation": ("/monitoren/opvolging/{contract}/realisaties/{realisation}/", "monitoring:realisation"),
    "realisation_approve": ("/monitoren/opvolging/{contract}/realisaties/{realisation}/goedkeuren/",
                            "monitoring:realisation_approve"),
    "agreement_create": ("/monitoren/opvolging/{contract}/afspraken/nieuw/", "monitoring:agreement_create"),
    "portal_home": ("/leverancier/", "portal:home"),
    "portal_contract": ("/leverancier/contracten/{contract}/", "portal:contract"),
    "portal_period": ("/leverancier/contracten/{contract}/rapportages/{period}/", "portal:period"),
    "portal_realisation_create": ("/leverancier/contracten/{contract}/rapportages/{period}/realisaties/nieuw/",
                                  "portal:realisation_create"),
}


def path(key: str, **values: str) -> str:
    return PAGES[key][0].format(**values)


SORTS = ["contractnummer", "titel", "opdrachtnemer", "looptijd", "status", "verplichting", "gerealiseerd",
         "voortgang", "coordinator"]
STATUSES = ["handed_over", "agreements_made", "in_progress", "closed"]
KB_QUERIES = ["bouwblok", "leerwerktraject", "rapportage", "verplichting", "statushouder", "stageplaats", "bonus",
              "eindafrekening", "herstelperiode", "inkoop", "werkervaring", "wat telt mee", "bbl leerling",
              "vast contract"]
TYPEAHEAD = ["b", "ba", "bouwbedr", "van der m", "heuvel", "techniek", "arnhem", "zwolle", "bakkerij arnhem",
             "jansen bouw ede", "43204198", "instalatie", "cafe", "xqzvbn", "schoonmaakb", "stichting he"]


def list_query(rng: random.Random) -> str:
    """The monitoring list as people use it: page sizes, sorts, later pages, filters."""
    params = [f"per_page={rng.choice([10, 25, 25, 25, 50, 100])}"]
    if rng.random() < 0.6:
        params.append(f"o={rng.choice(['', '-'])}{rng.choice(SORTS)}")
    if rng.random() < 0.4:
        params.append(f"page={rng.randint(2, 8)}")
    if rng.random() < 0.3:
        params.append(f"status={rng.choice(STATUSES)}")
    if rng.random() < 0.15:
        params.append("behind=on")
    if rng.random() < 0.15:
        params.append(f"year={rng.choice([2021, 2022, 2023, 2024, 2025, 2026])}")
    if rng.random() < 0.1:
        params.append(f"q={rng.choice(['onderhoud', 'schoonmaak', 'vervoer', '2024', 'ict'])}")
    return "&".join(params)


def work_queue_query(rng: random.Random, authorities: list[str]) -> str:
    choices = ["", "status=in_progress", "behind=on", "ending_soon=on", "reports_overdue=on", "coordinator=geen"]
    if authorities:
        choices.append(f"authority={rng.choice(authorities)}")
    return rng.choice(choices)
