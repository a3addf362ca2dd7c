"""The table rows of Monitoren contracten — individueel, as HTML.

A row holds some sixty values, conditions and translated texts. Rendered by the template engine that
costs about half a millisecond per row, most of a page of 25 rows; joined as strings here it costs a
tenth of that. The markup is the same as the rest of ``monitoring/buyer/contract_list.html``
(NL Design System table, the three-dots menu of ``static/js/monitoring-buyer.js``). Every value that
comes from data goes through ``escape``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from contracts.models import Contract
from monitoring.figures import Track


def _icon(name: str, extra: str = "") -> str:
    return f'<svg class="mb-icon{extra}" aria-hidden="true" focusable="false"><use href="#mb-icon-{name}"/></svg>'


def _texts() -> dict[str, str]:
    """The row's fixed texts in the active language, escaped once per page."""
    texts = {
        "number": gettext("Inkoopcontract"),
        "supplier": gettext("Uitvoerende partij"),
        "term": gettext("Looptijd"),
        "status": gettext("Status"),
        "obligation": gettext("Verplichting"),
        "approved": gettext("Gerealiseerd"),
        "progress": gettext("Voortgang"),
        "coordinator": gettext("SROI-coördinator"),
        "concept": str(Contract.Status.DRAFT.label),  # capitalised like every other status
        "resume": gettext("Verder invullen"),
        "unknown": gettext("onbekend"),
        "unassigned": gettext("nog niet toegewezen"),
        "behind": gettext("Loopt achter"),
        "no_agreements": gettext("Nog geen afspraken"),
        "after_handover": gettext("start na overdracht"),
        "no_obligation": gettext("geen verplichting bekend"),
        "monitor": gettext("Contract monitoren"),
        "help": gettext("Stel een hulpvraag"),
        "attachments": gettext("Bijlagen en overdragen"),
        "of_term": gettext("van de looptijd"),
        "actions": gettext("Acties voor %(number)s"),
    }
    # The status labels too: ``get_status_display`` per row would translate every label of the choices.
    texts.update({f"status:{value}": label for value, label in Contract.Status.choices})
    return {key: escape(value) for key, value in texts.items()}


def _row(contract: Contract, t: dict[str, str], *, show_organisation: bool, help_url: str) -> str:
    uuid = str(contract.uuid)
    number = escape(contract.contract_number)
    draft = contract.is_draft
    behind = contract.is_behind
    edit_url = escape(contract.edit_url)
    link = edit_url if draft else escape(contract.monitor_url)
    organisation = (
        f'<span class="mb-table__org">{escape(contract.organisation_name)}</span>' if show_organisation else ""
    )
    if draft:
        status = (
            f'<span class="wizzr-status wizzr-status--draft">{t["concept"]}</span>\n'
            f'            <a class="utrecht-link mb-resume" href="{edit_url}">{t["resume"]}'
            f'<span class="wizzr-visually-hidden"> {number}</span></a>'
        )
    else:
        status = (
            f'<span class="wizzr-status wizzr-status--{escape(contract.status)}">'
            f"{t.get(f'status:{contract.status}') or escape(contract.status)}</span>"
        )
    if contract.obligation_amount is None:
        obligation = f'<span class="wizzr-muted">{t["unknown"]}</span>'
    else:
        obligation = escape(contract.obligation_text)
    approved = '<span class="wizzr-muted">—</span>' if draft else escape(contract.approved_text)
    if draft:
        progress = f'<span class="wizzr-muted">{t["after_handover"]}</span>'
    elif contract.progress is None:
        progress = f'<span class="wizzr-muted">{t["no_obligation"]}</span>'
    else:
        # The bar is drawn; the percentage says the same in text. The thin mark is the share of the term passed.
        fill = "mb-progress__fill mb-progress__fill--behind" if behind else "mb-progress__fill"
        progress = (
            '<span class="mb-progress"><svg class="mb-progress__bar" viewBox="0 0 100 10" preserveAspectRatio="none"'
            ' aria-hidden="true" focusable="false"><rect class="mb-progress__track" width="100" height="10"/>'
            f'<rect class="{fill}" width="{contract.bar_text}" height="10"/>'
            f'<rect class="mb-progress__time" x="{contract.elapsed_text}" width="0.8" height="10"/></svg>'
            f'<span class="mb-progress__text">{contract.progress_text} %</span></span>'
        )
        if behind:
            progress += (
                f'\n            <span class="wizzr-tag wizzr-tag--warning mb-progress__tag">{t["behind"]}</span>'
            )
        elif contract.track_state == Track.NO_AGREEMENTS:
            progress += f'\n            <span class="mb-progress__note">{t["no_agreements"]}</span>'
        elif contract.status != Contract.Status.CLOSED:
            progress += (
                f'\n            <span class="mb-progress__note">{contract.elapsed_whole} % {t["of_term"]}</span>'
            )
    if contract.coordinator_name:
        coordinator = escape(contract.coordinator_name)
    elif draft:
        coordinator = '<span class="wizzr-muted">—</span>'
    else:
        coordinator = f'<span class="wizzr-muted">{t["unassigned"]}</span>'
    if draft:
        items = (
            f'<li role="none"><a class="mb-menu__item" role="menuitem" tabindex="-1" href="{edit_url}">'
            f"{_icon('edit')}{t['resume']}</a></li>\n"
            f'                <li role="none"><a class="mb-menu__item" role="menuitem" tabindex="-1" '
            f'href="{escape(contract.attachments_url)}">{_icon("change")}{t["attachments"]}</a></li>'
        )
    else:
        items = (
            f'<li role="none"><a class="mb-menu__item mb-menu__item--monitor" role="menuitem" tabindex="-1" '
            f'href="{escape(contract.monitor_url)}">{_icon("monitor")}{t["monitor"]}</a></li>'
        )
        if help_url:
            items += (
                f'\n                <li role="none"><a class="mb-menu__item" role="menuitem" tabindex="-1" '
                f'href="{escape(help_url)}?contract={uuid}">{_icon("question")}{t["help"]}</a></li>'
            )
    actions = t["actions"] % {"number": number}  # both escaped
    start, end = contract.term_text
    return f"""
        <tr class="utrecht-table__row{" mb-row--behind" if behind else ""}">
          <td class="utrecht-table__cell mb-table__title" data-label="{t["number"]}">
            <a class="utrecht-link mb-table__number" href="{link}">{number}</a>
            <span class="mb-table__sub">{escape(contract.title)}</span>{organisation}
          </td>
          <td class="utrecht-table__cell" data-label="{t["supplier"]}">{escape(contract.supplier_name)}<span class="mb-table__org">{escape(contract.supplier_establishment)}</span></td>
          <td class="utrecht-table__cell mb-nowrap" data-label="{t["term"]}">{escape(start)} –<br>{escape(end)}</td>
          <td class="utrecht-table__cell" data-label="{t["status"]}">
            {status}
          </td>
          <td class="utrecht-table__cell wizzr-num" data-label="{t["obligation"]}">{obligation}</td>
          <td class="utrecht-table__cell wizzr-num" data-label="{t["approved"]}">{approved}</td>
          <td class="utrecht-table__cell mb-progress-cell" data-label="{t["progress"]}">
            {progress}
          </td>
          <td class="utrecht-table__cell" data-label="{t["coordinator"]}">{coordinator}</td>
          <td class="utrecht-table__cell mb-table__actions">
            <div class="mb-menu" data-mb-menu>
              <button class="mb-menu__button" type="button" id="mb-menu-button-{uuid}" aria-haspopup="true" \
aria-expanded="false" aria-controls="mb-menu-{uuid}" data-mb-focus="menu-{uuid}">{_icon("dots", " mb-icon--dots")}\
<span class="wizzr-visually-hidden">{actions}</span></button>
              <ul class="mb-menu__list" id="mb-menu-{uuid}" role="menu" aria-labelledby="mb-menu-button-{uuid}" hidden>
                {items}
              </ul>
            </div>
          </td>
        </tr>"""


def render_rows(rows: Iterable[Contract], *, show_organisation: bool, help_url: str) -> SafeString:
    """The ``<tr>`` elements of ``rows`` (prepared by ``buyer_views._prepare_rows``)."""
    texts = _texts()
    html = "".join(_row(row, texts, show_organisation=show_organisation, help_url=help_url) for row in rows)
    return mark_safe(html)  # noqa: S308 — every value from data is escaped in _row
