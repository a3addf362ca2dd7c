"""Filters of the buyer's monitoring pages. Every choice is scoped to what the user may see, so a
value from another tenant (a supplier, an organisation, a coordinator) is simply not a valid
choice: the field shows an error and the page shows the contracts without that filter."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from html import escape

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Max, Min, Q, QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from monitoring.figures import with_progress
from monitoring.reports import is_supplier_of
from suppliers.models import Supplier
from suppliers.widgets import SupplierPicker
from wizzr.models import Organisation
from wizzr.tenancy import request_memberships

ALL = "alle"
UNASSIGNED = "geen"
PER_PAGE_CHOICES = (10, 25, 50, 100)
DEFAULT_PER_PAGE = 25
YEAR_SPAN_SECONDS = 300  # how long the year filter's span is kept (see ScopedFilterSet.years)
# Filters that apply as soon as they change carry mb-autofilter (the search field waits for typing to pause).
SELECT = {"class": "utrecht-select utrecht-select--html-select mb-autofilter"}


class Select(forms.Select):
    """A <select> built by joining strings: Django's template-per-option rendering costs tens of
    microseconds per option, and a page shows several of these selects.
    (Named Select so that forms see an ordinary select: ``BoundField.widget_type`` is the class name.)
    The options' HTML is kept per list of options (they rarely change); only the selection varies."""

    _rendered: OrderedDict[tuple, str] = OrderedDict()
    _lock = threading.Lock()
    CACHE_SIZE = 64

    @classmethod
    def _options_html(cls, choices: tuple) -> str:
        with cls._lock:
            html = cls._rendered.get(choices)
            if html is not None:
                cls._rendered.move_to_end(choices)
                return html
        html = "".join(f'<option value="{escape(str(v))}">{escape(str(label))}</option>' for v, label in choices)
        with cls._lock:
            cls._rendered[choices] = html
            while len(cls._rendered) > cls.CACHE_SIZE:
                cls._rendered.popitem(last=False)
        return html

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        html = self._options_html(tuple((str(v), str(label)) for v, label in self.choices))
        if value not in (None, ""):
            marker = f'<option value="{escape(str(value))}">'
            html = html.replace(marker, marker[:-1] + " selected>", 1)
        # Values and labels are escaped above; flatatt escapes the attributes.
        return mark_safe(f"<select{flatatt(final_attrs)}>{html}</select>")  # noqa: S308


class ScopedSupplierField(forms.CharField):
    """A supplier among those of the user's contracts, by UUID, chosen in a typeahead (a large
    organisation works with thousands of suppliers: too many for a list of options). ``is_allowed``
    (set by the filter set) checks the value; anything else gets the usual Dutch message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_allowed: Callable[[str], bool] = lambda value: False

    def to_python(self, value):
        value = super().to_python(value).strip()
        return value.lower()

    def validate(self, value):
        super().validate(value)
        if value and not self.is_allowed(value):
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


class ScopedSupplierFilter(django_filters.CharFilter):
    field_class = ScopedSupplierField


class ScopedFilterSet(django_filters.FilterSet):
    """Year, status and organisation, shared by the individual list and the consolidated figures.

    ``authorities`` are the organisations whose contracts the user may see; with more than one, the
    organisation filter shows, starting at ``default_organisation`` (the current organisation).
    """

    organisation = django_filters.ChoiceFilter(
        label=_("Organisatie"), method="filter_organisation", empty_label=None, widget=Select(attrs=SELECT)
    )
    year = django_filters.ChoiceFilter(
        label=_("Jaar"), method="filter_year", empty_label=_("Alle jaren"), widget=Select(attrs=SELECT)
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Contract.Status.choices,
        empty_label=_("Alle statussen"),
        widget=Select(attrs=SELECT),
    )

    class Meta:
        model = Contract
        fields = ["organisation", "year", "status"]

    def __init__(
        self,
        data,
        *,
        queryset: QuerySet,
        authorities: list[Organisation],
        default_organisation,
        statuses: list[tuple[str, str]] | None = None,
        span_scope: str = "all",
        **kwargs,
    ):
        data = data.copy()
        self.authorities = authorities
        self.span_scope = span_scope
        if len(authorities) > 1 and not data.get("organisation"):
            data["organisation"] = str(default_organisation.uuid) if default_organisation in authorities else ALL
        super().__init__(data, queryset=queryset, **kwargs)
        if len(authorities) > 1:
            self.filters["organisation"].extra["choices"] = [(ALL, _("Alle organisaties"))] + [
                (str(o.uuid), o.name) for o in authorities
            ]
        else:
            del self.filters["organisation"]
            self.form.fields.pop("organisation", None)
        # The filters' empty_label already offers "Alle jaren" / "Alle statussen": the choices hold only values.
        self.form.fields["year"].choices = [(str(y), str(y)) for y in self.years()]
        if statuses is not None:
            self.form.fields["status"].choices = statuses

    def years(self) -> list[int]:
        """The years the user's contracts span, newest first; the current year when there are none.

        The span is an aggregate over every visible contract (a scan of all of them), so it is kept
        in the cache for a few minutes. Which contracts a user sees follows from their memberships
        alone (``Contract.objects.visible_to``), so the key is the memberships (organisation and role)
        and ``span_scope`` (the view's queryset: "all", or the consolidated view's without concepts):
        people with the same memberships share it, and a new membership counts at once. Staleness
        is harmless: a year that just came or went is offered, or missing, for at most that long,
        and choosing any year filters the contracts as they are now."""
        contracts = self.queryset.order_by()
        memberships = sorted(f"{m.organisation_id}:{m.role}" for m in request_memberships(self.request))
        key = "monitoring:years:" + hashlib.sha256(f"{self.span_scope}|{','.join(memberships)}".encode()).hexdigest()
        span = cache.get(key)
        if span is None:
            span = contracts.aggregate(first=Min("start_date"), last=Max("end_date"))
            cache.set(key, span, YEAR_SPAN_SECONDS)
        if span["first"] is None or span["last"] is None:
            this_year = timezone.localdate().year
            return [this_year]
        return list(range(span["last"].year, span["first"].year - 1, -1))

    @property
    def has_organisation_filter(self) -> bool:
        return "organisation" in self.form.fields

    def filter_organisation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value or value == ALL:
            return queryset
        return queryset.filter(organisation__uuid=value)

    def filter_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        year = int(value)
        return queryset.filter(start_date__lte=date(year, 12, 31), end_date__gte=date(year, 1, 1))

    def active_filters(self) -> dict[str, str]:
        """The filters in use (valid values only), for the audit record of an export."""
        if not self.form.is_valid():
            valid = {k: v for k, v in self.form.cleaned_data.items() if k not in self.form.errors}
        else:
            valid = self.form.cleaned_data
        return {k: str(v) for k, v in valid.items() if v not in (None, "", False)}


class ContractListFilter(ScopedFilterSet):
    """The individual list: free text, status, supplier, year, coordinator, organisation, behind."""

    q = django_filters.CharFilter(
        label=_("Zoeken"), method="filter_text", widget=forms.TextInput(attrs={"type": "search"})
    )
    supplier = ScopedSupplierFilter(
        label=_("Uitvoerende partij"),
        method="filter_supplier",
        widget=SupplierPicker(search_url_name="monitoring:supplier_options", value_class="mb-autofilter"),
    )
    coordinator = django_filters.ChoiceFilter(
        label=_("SROI-coördinator"),
        method="filter_coordinator",
        empty_label=_("Alle coördinatoren"),
        widget=Select(attrs=SELECT),
    )
    behind = django_filters.BooleanFilter(
        label=_("Alleen contracten die achterlopen"),
        method="filter_behind",
        widget=forms.CheckboxInput(attrs={"class": "mb-autofilter"}),
    )

    class Meta:
        model = Contract
        fields = ["q", "organisation", "status", "supplier", "year", "coordinator", "behind"]

    def __init__(self, data, *, coordinators: list[tuple[str, str]], **kwargs):
        super().__init__(data, **kwargs)
        self.form.fields["q"].help_text = _("Inkoopcontractnummer, titel of uitvoerende partij.")
        contracts, checked = self.queryset, {}

        def allowed(value: str) -> bool:  # asked by the field and by its widget: one query
            if value not in checked:
                try:
                    uuid.UUID(value)
                except ValueError:
                    checked[value] = False
                else:
                    checked[value] = is_supplier_of(contracts, value)
            return checked[value]

        supplier = self.form.fields["supplier"]
        supplier.is_allowed = supplier.widget.is_allowed = allowed
        self.form.fields["coordinator"].choices = [
            (UNASSIGNED, _("Nog niet toegewezen")),
            *coordinators,
        ]
        self.form.fields["behind"].help_text = _(
            "Gerealiseerd (goedgekeurd) minder dan de verplichting naar rato van de verstreken looptijd."
        )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:100]
        if not value:
            return queryset
        # The suppliers by the ids of these contracts' suppliers, not through a join: a join looks up every
        # contract's supplier in the registry (10,000 lookups for the largest authority), the ids each
        # distinct supplier once (a quarter of that).
        suppliers = Supplier.objects.filter(pk__in=queryset.order_by().values("supplier_id")).filter(
            Q(legal_name__icontains=value) | Q(trade_name__icontains=value)
        )
        return queryset.filter(
            Q(contract_number__icontains=value) | Q(title__icontains=value) | Q(supplier_id__in=suppliers.values("pk"))
        )

    def filter_supplier(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(supplier__uuid=value) if value else queryset

    def filter_coordinator(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if value == UNASSIGNED:
            return queryset.filter(Q(follow_up__isnull=True) | Q(follow_up__coordinator__isnull=True))
        return queryset.filter(follow_up__coordinator__uuid=value)

    def filter_behind(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return with_progress(queryset).filter(is_behind=True).exclude(status=Contract.Status.DRAFT)


def per_page(value: str | None) -> int:
    """The page size asked for, if it is one of ``PER_PAGE_CHOICES``; otherwise the default."""
    try:
        number = int(value or "")
    except ValueError:
        return DEFAULT_PER_PAGE
    return number if number in PER_PAGE_CHOICES else DEFAULT_PER_PAGE
