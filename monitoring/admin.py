from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from monitoring.models import Bonus, BuildingBlock, Catalogue, CatalogueVersion, Region


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


class BlockInline(admin.TabularInline):
    model = BuildingBlock
    extra = 1
    fields = ["position", "name", "category", "unit", "value", "counting_months", "description"]


class BonusInline(admin.TabularInline):
    model = Bonus
    extra = 0
    fields = ["position", "name", "kind", "value", "min_age"]


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


@admin.register(BuildingBlock)
class BuildingBlockAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "category", "unit", "value", "counting_months"]
    list_filter = ["version__catalogue", "version", "category", "unit"]
    search_fields = ["name"]
    list_select_related = ["version__catalogue"]
