from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from monitoring.models import (
    Bonus,
    BuildingBlock,
    Catalogue,
    CatalogueVersion,
    ContractFollowUp,
    Realisation,
    Region,
    Reminder,
)


class CatalogueInline(admin.StackedInline):
    model = Catalogue
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "service_point_names"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["service_points"]
    inlines = [CatalogueInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("service_points")

    @admin.display(description=_("servicepunten"))
    def service_point_names(self, obj: Region) -> str:
        return ", ".join(sp.name for sp in obj.service_points.all())


class VersionInline(admin.TabularInline):
    model = CatalogueVersion
    extra = 0
    fields = ["label", "valid_from"]
    show_change_link = True


@admin.register(Catalogue)
class CatalogueAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    search_fields = ["name", "region__name"]
    inlines = [VersionInline]


VALUE_FIELDS = ["unit", "value", "counting_months"]


def _in_use(version: CatalogueVersion | None) -> bool:
    return version is not None and version.pk is not None and version.follow_ups.exists()


class BlockInline(admin.TabularInline):
    """Blocks of a version that contracts have pinned keep their unit and value: publish a new version instead."""

    model = BuildingBlock
    extra = 1
    fields = ["position", "name", "category", "unit", "value", "counting_months", "description"]

    def get_readonly_fields(self, request, obj=None):
        return VALUE_FIELDS if _in_use(obj) else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _in_use(obj) and super().has_delete_permission(request, obj)


class BonusInline(admin.TabularInline):
    model = Bonus
    extra = 0
    fields = ["position", "name", "kind", "value", "min_age"]

    def get_readonly_fields(self, request, obj=None):
        return ["kind", "value", "min_age"] if _in_use(obj) else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin):
    list_display = ["label", "catalogue", "valid_from", "block_count"]
    list_filter = ["catalogue"]
    search_fields = ["label", "catalogue__name"]
    date_hierarchy = "valid_from"
    inlines = [BlockInline, BonusInline]
    save_as = True

    @admin.display(description=_("bouwblokken"))
    def block_count(self, obj: CatalogueVersion) -> int:
        return obj.blocks.count()

    def get_readonly_fields(self, request, obj=None):
        return ["catalogue", "valid_from"] if _in_use(obj) else []


@admin.register(BuildingBlock)
class BuildingBlockAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "category", "unit", "value", "counting_months"]
    list_filter = ["version__catalogue", "version", "category", "unit"]
    search_fields = ["name"]
    list_select_related = ["version__catalogue"]

    def get_readonly_fields(self, request, obj=None):
        return ["version", *VALUE_FIELDS] if obj is not None and _in_use(obj.version) else []


class ReadOnlyAdmin(admin.ModelAdmin):
    """Follow-up data is changed in the application, where every change is recorded."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ContractFollowUp)
class ContractFollowUpAdmin(ReadOnlyAdmin):
    list_display = ["contract", "organisation", "catalogue_version", "coordinator", "accepted_at", "outcome"]
    list_filter = ["catalogue_version", "outcome", "reporting_rhythm"]
    search_fields = ["contract__contract_number", "contract__title"]
    list_select_related = ["contract", "organisation", "catalogue_version__catalogue", "coordinator"]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ["contract", "block", "period_start", "period_end", "value", "status"]
    list_filter = ["status"]
    search_fields = ["contract__contract_number"]
    list_select_related = ["contract", "block"]
    exclude = ["candidate_reference", "birth_year"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "contract", "user"]
    list_filter = ["kind"]
