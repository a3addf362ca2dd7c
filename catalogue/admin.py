from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.models import Bonus, BuildingBlock, Catalogue, CatalogueVersion, PsoDiscount, Region
from catalogue.usage import version_usage
from catalogue.versions import (
    CatalogueError,
    catalogue_version_copy,
    catalogue_version_preview,
    catalogue_version_publish,
)
from wizzr.admin_audit import AuditedAdminMixin


class CatalogueInline(admin.StackedInline):
    model = Catalogue
    extra = 0


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
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
    """The catalogue's versions at a glance; each is made and published on its own page."""

    model = CatalogueVersion
    extra = 0
    fields = ["label", "status", "valid_from"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Catalogue)
class CatalogueAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region"]
    search_fields = ["name", "region__name"]
    inlines = [VersionInline]


def _frozen(version: CatalogueVersion | None) -> bool:
    """A published version keeps its values for good: contracts pin it at handover."""
    return version is not None and version.pk is not None and version.is_published


class FrozenWithVersionInline(admin.TabularInline):
    """Blocks and bonuses are edited in a draft only; a published version shows them read-only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class BlockInline(FrozenWithVersionInline):
    model = BuildingBlock
    extra = 0
    fields = ["position", "name", "category", "unit", "value", "counting_months", "description"]


class BonusInline(FrozenWithVersionInline):
    model = Bonus
    extra = 0
    fields = ["position", "name", "kind", "value", "min_age"]


class PsoDiscountInline(FrozenWithVersionInline):
    """The region's PSO rule: the discount on the obligation per PSO level (none without rows)."""

    model = PsoDiscount
    extra = 0
    fields = ["level", "percentage"]


class PublishForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Geldig vanaf"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Vandaag of later. Inkoopcontracten die vanaf deze datum worden overgedragen, krijgen deze versie."),
    )

    def clean_valid_from(self):
        valid_from = self.cleaned_data["valid_from"]
        if valid_from < timezone.localdate():
            raise forms.ValidationError(_("De ingangsdatum kan niet in het verleden liggen."))
        return valid_from


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Versions as a workflow: copy a version into a draft, edit the draft with its blocks, preview
    and publish it (``catalogue.versions``). A published version is view-only."""

    list_display = ["label", "catalogue", "status", "valid_from", "block_count", "contracts_using"]
    list_filter = ["status", "catalogue"]
    search_fields = ["label", "catalogue__name"]
    inlines = [BlockInline, BonusInline, PsoDiscountInline]
    actions = ["copy_versions"]
    change_form_template = "admin/catalogue/catalogueversion/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("catalogue")
            .annotate(block_total=Count("blocks", distinct=True), contract_total=version_usage().count())
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["catalogue", "label", "notes"]
        return ["catalogue", "label", "status", "valid_from", "notes", "contracts_using"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["catalogue", "status", "valid_from", "contracts_using"]

    def has_change_permission(self, request, obj=None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.status = CatalogueVersion.Status.DRAFT
        super().save_model(request, obj, form, change)

    @admin.display(description=_("bouwblokken"), ordering="block_total")
    def block_count(self, obj: CatalogueVersion) -> int:
        return obj.block_total if hasattr(obj, "block_total") else obj.blocks.count()

    @admin.display(description=_("in gebruik bij"), ordering="contract_total")
    def contracts_using(self, obj: CatalogueVersion) -> str:
        if hasattr(obj, "contract_total"):
            total = obj.contract_total
        else:
            total = CatalogueVersion.objects.filter(pk=obj.pk).aggregate(total=version_usage().count())["total"] or 0
        text = ngettext("%(count)d inkoopcontract", "%(count)d inkoopcontracten", total) % {"count": total}
        url = version_usage().listing_url(version=obj) if total else ""
        if not url:
            return text
        return format_html('<a href="{}">{}</a>', url, text)

    @admin.action(description=_("Nieuwe versie op basis van deze"), permissions=["add"])
    def copy_versions(self, request, queryset) -> HttpResponseRedirect | None:
        drafts = [catalogue_version_copy(version=version, by=request.user, request=request) for version in queryset]
        for draft in drafts:
            self.message_user(
                request,
                _("Concept ‘%(label)s’ is aangemaakt. Pas het aan en publiceer het.") % {"label": draft.label},
                messages.SUCCESS,
            )
        if len(drafts) == 1:
            return HttpResponseRedirect(reverse("admin:catalogue_catalogueversion_change", args=[drafts[0].pk]))
        return None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/nieuwe-versie/", view(self.copy_view), name="catalogue_catalogueversion_copy"),
            path("<path:object_id>/publiceren/", view(self.publish_view), name="catalogue_catalogueversion_publish"),
            *super().get_urls(),
        ]

    def _version_or_404(self, request, object_id) -> CatalogueVersion:
        version = self.get_object(request, unquote(object_id))
        if version is None or not self.has_view_permission(request, version):
            raise Http404
        return version

    def copy_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        version = self._version_or_404(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self.copy_versions(request, CatalogueVersion.objects.filter(pk=version.pk))

    def publish_view(self, request, object_id):
        """The preview of a draft for a chosen date (GET) and its publication (POST)."""
        version = self._version_or_404(request, object_id)
        if version.is_published:
            self.message_user(request, _("Deze versie is al gepubliceerd."), messages.WARNING)
            return HttpResponseRedirect(reverse("admin:catalogue_catalogueversion_change", args=[version.pk]))
        if not self.has_change_permission(request, version):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = PublishForm(data, initial={"valid_from": version.valid_from or timezone.localdate()})
        valid_from = form.cleaned_data["valid_from"] if form.is_valid() else None
        if "_publish" in request.POST and valid_from is not None:
            try:
                catalogue_version_publish(version=version, valid_from=valid_from, by=request.user, request=request)
            except CatalogueError as error:
                form.add_error("valid_from", error.message)
            else:
                self.message_user(
                    request,
                    _("Versie ‘%(label)s’ is gepubliceerd en geldt vanaf %(date)s.")
                    % {"label": version.label, "date": date_format(valid_from, "j F Y")},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:catalogue_catalogueversion_change", args=[version.pk]))
        shown = valid_from if valid_from is not None else (None if data is not None else form.initial["valid_from"])
        ctx = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": version,
            "title": _("Voorbeeld en publiceren: %(label)s") % {"label": version.label},
            "form": form,
            "preview": catalogue_version_preview(version=version, valid_from=shown) if shown else None,
            "show_contracts": version_usage().may_list(request.user),
            "region": version.catalogue.region,
            "blocks": version.blocks.all(),
            "bonuses": version.bonuses.all(),
        }
        return TemplateResponse(request, "admin/catalogue/catalogueversion/publish.html", ctx)


@admin.register(BuildingBlock)
class BuildingBlockAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "version", "category", "unit", "value", "counting_months"]
    list_filter = ["version__status", "version__catalogue", "version", "category", "unit"]
    search_fields = ["name"]
    list_select_related = ["version__catalogue"]

    def has_change_permission(self, request, obj=None) -> bool:
        return not (obj is not None and _frozen(obj.version)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not (obj is not None and _frozen(obj.version)) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = CatalogueVersion.objects.filter(status=CatalogueVersion.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
