"""Slots other apps fill on monitoring's pages, and questions they answer about contracts.

Monitoring does not know the apps that build on it: they register here in their ``AppConfig.ready()``
and monitoring renders or asks whatever is registered.

- A contract panel is a callable ``render(*, request, contract) -> str`` that renders its own
  template; the pages named in ``pages`` show it, in the order of registration
  (``{% contract_panels "workspace" contract %}``).
- A contract filter is a callable ``contracts() -> QuerySet`` of contract ids for which a condition
  holds (the supplier's report is late); list filters narrow to it through ``contracts_where``.
- A timeline action is an audit action of another app that the contract's timeline shows, with its
  title and optionally ``detail(*, event, contract) -> str`` for the text beside it. Its audit events
  carry the contract's uuid in their detail (``{"contract": ...}``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

WORKSPACE = "workspace"  # the coordinator's follow-up of one contract
BUYER = "buyer"  # the buyer's page of one contract
PAGES = (WORKSPACE, BUYER)


@dataclass(frozen=True)
class ContractPanel:
    name: str
    render: Callable[..., str]
    pages: tuple[str, ...]


_panels: dict[str, ContractPanel] = {}
_filters: dict[str, Callable[[], QuerySet]] = {}


def register_contract_panel(name: str, render: Callable[..., str], *, pages: Iterable[str] = (WORKSPACE,)) -> None:
    """Show ``render(request=..., contract=...)`` (safe HTML, e.g. from ``render_to_string``; plain text
    is escaped) on the contract pages in ``pages``. Registering a
    name again replaces the panel (``ready()`` may run more than once in tests)."""
    pages = tuple(pages)
    unknown = set(pages) - set(PAGES)
    if unknown:
        raise ValueError(f"Unknown contract page(s): {', '.join(sorted(unknown))}")
    _panels[name] = ContractPanel(name=name, render=render, pages=pages)


def contract_panels(*, page: str, request: HttpRequest, contract) -> list[SafeString]:
    """The HTML of the panels registered for ``page``, rendered for ``contract``."""
    return [
        # A panel renders its own template (safe HTML); anything else it returns is escaped.
        conditional_escape(panel.render(request=request, contract=contract))
        for panel in _panels.values()
        if page in panel.pages
    ]


def register_contract_filter(name: str, contracts: Callable[[], QuerySet]) -> None:
    """Answer ``name`` for list filters: ``contracts()`` returns the ids of the contracts for which it holds."""
    _filters[name] = contracts


def contracts_where(name: str, queryset: QuerySet) -> QuerySet:
    """``queryset`` narrowed to the contracts for which the registered filter ``name`` holds; none
    when nothing answers it."""
    contracts = _filters.get(name)
    if contracts is None:
        return queryset.none()
    return queryset.filter(pk__in=contracts())


@dataclass(frozen=True)
class TimelineAction:
    title: str
    detail: Callable[..., str] | None = None


_timeline_actions: dict[str, TimelineAction] = {}


def register_timeline_action(action: str, title, *, detail: Callable[..., str] | None = None) -> None:
    """Show the audit events ``action`` of a contract on its timeline as ``title`` (lazy text is fine)."""
    _timeline_actions[action] = TimelineAction(title=title, detail=detail)


def timeline_actions() -> dict[str, TimelineAction]:
    return dict(_timeline_actions)
