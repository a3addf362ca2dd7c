"""The ``[[bouwblokken]]`` placeholder: the building-block catalogues as Markdown, from live data.

Catalogues are maintained by administrators (``catalogue``); the knowledge-base article shows
whatever version is in force today, so it never goes stale.
"""

from __future__ import annotations

import html
import re

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from catalogue.models import Catalogue
from knowledgebase.markdown import register_placeholder
from wizzr.units import euro

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md_text(value: str) -> str:
    """Make arbitrary text safe to put inside a Markdown table cell or paragraph."""
    text = " ".join(str(value or "").split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


@register_placeholder("bouwblokken")
def building_blocks(language: str) -> str:
    """Markdown tables of each catalogue's version in force today, with bonuses; a notice if none."""
    with translation.override(language):
        today = timezone.localdate()
        parts: list[str] = []
        catalogues = Catalogue.objects.select_related("region").order_by("region__name", "name")
        for catalogue in catalogues:
            version = (
                catalogue.versions.published().filter(valid_from__lte=today)
                .order_by("-valid_from", "-pk")
                .prefetch_related("blocks", "bonuses", "pso_discounts")
                .first()
            )
            if version is None:
                continue
            parts.append(f"### {md_text(catalogue.name)}")
            parts.append(
                _("Regio %(region)s · versie %(label)s, geldig vanaf %(date)s.")
                % {
                    "region": md_text(catalogue.region.name),
                    "label": md_text(version.label),
                    "date": formats.date_format(version.valid_from, "j F Y"),
                }
            )
            if version.notes:
                parts.append(md_text(version.notes))
            blocks = list(version.blocks.all())
            if blocks:
                parts.append(f"| {_('Bouwblok')} | {_('Soort')} | {_('Waarde')} |\n|---|---|---|")
                parts[-1] += "".join(
                    f"\n| {md_text(block.name)}{' — ' + md_text(block.description) if block.description else ''}"
                    f" | {md_text(block.get_category_display())} | {md_text(block.value_label)} |"
                    for block in blocks
                )
            bonuses = list(version.bonuses.all())
            if bonuses:
                parts.append(f"**{_('Bonussen bovenop een bouwblok per jaar')}**")
                parts.append(
                    "\n".join(
                        f"- {md_text(bonus.name)}: " + _("%(amount)s per jaar") % {"amount": md_text(euro(bonus.value))}
                        for bonus in bonuses
                    )
                )
            pso_discounts = list(version.pso_discounts.all())
            if pso_discounts:
                parts.append(f"**{_('PSO-korting op de SROI-verplichting')}**")
                parts.append(
                    _(
                        "Een opdrachtnemer met een gecontroleerd PSO-certificaat (Prestatieladder Socialer "
                        "Ondernemen) dat geldig is op de datum van overdracht, krijgt korting op de verplichting:"
                    )
                    + "\n\n"
                    + "\n".join(
                        "- "
                        + _("PSO %(level)s: %(percentage)s %% korting")
                        % {
                            "level": md_text(rule.get_level_display()),
                            "percentage": formats.number_format(rule.percentage.normalize(), use_l10n=True),
                        }
                        for rule in pso_discounts
                    )
                )
        if not parts:
            return _("*Er is nog geen bouwblokkenmodel ingevoerd. De beheerder voegt het toe in het beheer.*")
        return "\n\n".join(parts)
