"""Filters of the coordinator's work queue. Choices are scoped to the coordinator's service point."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from monitoring.figures import with_progress
from monitoring.panels import contracts_where
from wizzr.models import Organisation, Role, User

ENDING_SOON_DAYS = 30
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
STATUS_CHOICES = [(value, label) for value, label in Contract.Status.choices if value != Contract.Status.DRAFT]


class WorkQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, label=_("Status"), empty_label=_("Alle statussen"), widget=forms.Select(attrs=SELECT)
    )
    authority = django_filters.ModelChoiceFilter(
        field_name="organisation",
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        label=_("Opdrachtgever"),
        empty_label=_("Alle opdrachtgevers"),
        widget=forms.Select(attrs=SELECT),
    )
    coordinator = django_filters.ModelChoiceFilter(
        field_name="follow_up__coordinator",
        queryset=User.objects.none(),
        to_field_name="uuid",
        label=_("SROI-coördinator"),
        empty_label=_("Alle coördinatoren"),
        null_label=_("Niet toegewezen"),
        null_value="geen",
        method="filter_coordinator",
        widget=forms.Select(attrs=SELECT),
    )
    ending_soon = django_filters.BooleanFilter(
        label=_("Eindigt binnen %(days)s dagen") % {"days": ENDING_SOON_DAYS},
        method="filter_ending_soon",
        widget=forms.CheckboxInput,
    )
    behind = django_filters.BooleanFilter(
        label=_("Loopt achter op schema"), method="filter_behind", widget=forms.CheckboxInput
    )
    # Monitoring keeps no reporting periods: the app that does answers this filter (``monitoring.panels``).
    reports_overdue = django_filters.BooleanFilter(
        label=_("Rapportage opdrachtnemer te laat"), method="filter_reports_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Contract
        fields = ["status", "authority", "coordinator", "ending_soon", "behind", "reports_overdue"]

    def __init__(self, *args, service_point: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["authority"].queryset = Organisation.objects.filter(served_by=service_point).order_by("name")
        self.filters["coordinator"].queryset = (
            User.objects.filter(memberships__organisation=service_point, memberships__role=Role.COORDINATOR)
            .distinct()
            .order_by("name")
        )
        self.form.fields["behind"].help_text = _(
            "Minder goedgekeurd dan het deel van de verplichting dat bij de verstreken looptijd hoort."
        )

    def filter_coordinator(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        if value == "geen":
            return queryset.filter(Q(follow_up__isnull=True) | Q(follow_up__coordinator__isnull=True))
        return queryset.filter(follow_up__coordinator=value)

    def filter_ending_soon(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(end_date__gte=today, end_date__lte=today + timedelta(days=ENDING_SOON_DAYS)).exclude(
            status=Contract.Status.CLOSED
        )

    def filter_behind(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        behind = with_progress(queryset.model.objects.filter(pk__in=queryset.values("pk"))).filter(is_behind=True)
        return queryset.filter(pk__in=behind.values("pk"))

    def filter_reports_overdue(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return contracts_where("reports_overdue", queryset)
