"""The articles WIZZR ships: categories here, articles as Markdown files in ``articles/``.

Each article file has a header of ``key: value`` lines, then ``=== nl`` with the Dutch body and
``=== en`` with the English body. ``load_shipped`` puts them in the database; it is used by a data
migration (with historical models) and by the demo seed, so it sets ``plain_*`` itself instead
of relying on ``Article.save``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledgebase.markdown import plain_text

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"

# slug, position, Dutch name, English name, Dutch description, English description
CATEGORIES = [
    (
        "social-return", 10, "Social return en bouwblokken", "Social return and building blocks",
        "Wat social return is, hoe hoog de verplichting is en wat activiteiten waard zijn.",
        "What social return is, how high the obligation is and what activities are worth.",
    ),
    (
        "contract-invoeren", 20, "Contract invoeren en overdragen", "Entering and handing over a contract",
        "Van ‘Opstarten nieuw contract’ tot ‘De overdracht is succesvol!’.",
        "From starting a new contract to a successful handover.",
    ),
    (
        "monitoren", 30, "Monitoren", "Monitoring",
        "De voortgang van één contract of van alle contracten van uw organisatie volgen.",
        "Following the progress of one contract or of all contracts of your organisation.",
    ),
    (
        "hulp-en-wijzigingen", 40, "Hulp en wijzigingen", "Help and changes",
        "Een hulpvraag stellen en wijzigingen in een contract doorgeven.",
        "Asking for help and passing on changes to a contract.",
    ),
    (
        "account-en-privacy", 50, "Account en privacy", "Account and privacy",
        "Inloggen, tweestapsverificatie, organisaties en de privacy van kandidaten.",
        "Logging in, two-factor authentication, organisations and the privacy of candidates.",
    ),
    (
        "voor-coordinatoren", 60, "Voor SROI-coördinatoren", "For SROI coordinators",
        "Hulpvragen beantwoorden en wijzigingen doorvoeren.",
        "Answering help requests and applying changes.",
    ),
]

HEADER_FIELDS = {
    "slug", "category", "audience", "position", "related",
    "title_nl", "summary_nl", "keywords_nl", "title_en", "summary_en", "keywords_en",
}


@dataclass
class ShippedArticle:
    slug: str
    category: str
    audience: str
    position: int
    fields: dict[str, str]
    related: list[str] = field(default_factory=list)


def parse(path: Path) -> ShippedArticle:
    """Read one article file; raises ValueError naming the file when it is malformed."""
    header: dict[str, str] = {}
    bodies: dict[str, list[str]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("=== "):
            current = line[4:].strip()
            bodies[current] = []
        elif current is None:
            if line.strip():
                key, sep, value = line.partition(":")
                if not sep or key.strip() not in HEADER_FIELDS:
                    raise ValueError(f"{path.name}: unexpected header line {line!r}")
                header[key.strip()] = value.strip()
        else:
            bodies[current].append(line)
    if set(bodies) != {"nl", "en"} or not {"slug", "category", "title_nl", "summary_nl"} <= set(header):
        raise ValueError(f"{path.name}: needs slug, category, title_nl, summary_nl and '=== nl' / '=== en' bodies")
    fields = {key: header.get(key, "") for key in ["title_nl", "summary_nl", "keywords_nl", "title_en", "summary_en", "keywords_en"]}
    fields["body_nl"] = "\n".join(bodies["nl"]).strip() + "\n"
    fields["body_en"] = "\n".join(bodies["en"]).strip() + "\n"
    return ShippedArticle(
        slug=header["slug"],
        category=header["category"],
        audience=header.get("audience", "everyone"),
        position=int(header.get("position", "100")),
        fields=fields,
        related=[slug.strip() for slug in header.get("related", "").split(",") if slug.strip()],
    )


def shipped_articles() -> list[ShippedArticle]:
    return [parse(path) for path in sorted(ARTICLES_DIR.glob("*.md"))]


def load_shipped(*, article_model, category_model, overwrite: bool = False) -> tuple[int, int]:
    """Create the shipped categories and articles; return (created, updated).

    Existing articles (matched by slug) are left alone unless ``overwrite``, so that edits made
    by administrators survive a re-run. Works with the real models and with historical ones.
    """
    categories = {}
    for slug, position, name_nl, name_en, description_nl, description_en in CATEGORIES:
        defaults = {
            "position": position, "name_nl": name_nl, "name_en": name_en,
            "description_nl": description_nl, "description_en": description_en,
        }
        if overwrite:
            category, _ = category_model.objects.update_or_create(slug=slug, defaults=defaults)
        else:
            category, _ = category_model.objects.get_or_create(slug=slug, defaults=defaults)
        categories[slug] = category
    created = updated = 0
    touched = []
    for shipped in shipped_articles():
        article = article_model.objects.filter(slug=shipped.slug).first()
        if article is not None and not overwrite:
            continue
        if article is None:
            article = article_model(slug=shipped.slug)
            created += 1
        else:
            updated += 1
        for name, value in shipped.fields.items():
            setattr(article, name, value)
        article.category = categories[shipped.category]
        article.audience = shipped.audience
        article.position = shipped.position
        article.is_published = True
        article.plain_nl = plain_text(article.body_nl)
        has_english = bool(article.title_en and article.body_en)
        article.plain_en = plain_text(article.body_en) if has_english else article.plain_nl
        article.save()
        touched.append((article, shipped.related))
    for article, related in touched:
        article.related.set(article_model.objects.filter(slug__in=related))
    return created, updated
