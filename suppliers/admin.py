from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from suppliers.models import Supplier
from suppliers.services import MergeError, supplier_merge
from wizzr.admin_audit import AuditedAdminMixin

MERGE_MAX = 20


@admin.register(Supplier)
class SupplierAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["legal_name", "trade_name", "kvk_number", "branch_number", "city", "is_main_branch", "is_active", "source"]
    list_filter = ["is_active", "source", "is_main_branch"]
    # Django's own search (ILIKE on each field). The typeahead has the fast, ranked search.
    search_fields = ["legal_name", "trade_name", "kvk_number", "branch_number", "city"]
    search_help_text = _("Zoekt in statutaire naam, handelsnaam, KvK-nummer, vestigingsnummer en plaats.")
    ordering = ["name_key", "id"]
    show_full_result_count = False
    list_per_page = 50
    readonly_fields = ["uuid", "source", "added_by", "added_at", "merged_into"]
    raw_id_fields = []
    actions = ["merge_suppliers"]
    fieldsets = (
        (None, {"fields": ("legal_name", "trade_name", "kvk_number", "branch_number", "is_main_branch", "is_active")}),
        (_("Adres en contact"), {"fields": ("street", "house_number", "postcode", "city", "phone", "email", "website")}),
        (_("Herkomst"), {"fields": ("uuid", "source", "added_by", "added_at", "merged_into")}),
    )

    @admin.action(description=_("Dubbele opdrachtnemers samenvoegen"), permissions=["change"])
    def merge_suppliers(self, request, queryset):
        suppliers = list(queryset.order_by("name_key", "id")[: MERGE_MAX + 1])
        if len(suppliers) < 2 or len(suppliers) > MERGE_MAX:
            self.message_user(
                request, _("Kies twee tot %(max)d opdrachtnemers om samen te voegen.") % {"max": MERGE_MAX}, messages.ERROR
            )
            return None
        keep = next((s for s in suppliers if str(s.pk) == request.POST.get("keep")), None)
        if request.POST.get("confirm") == "yes" and keep is not None:
            merged = 0
            for duplicate in suppliers:
                if duplicate.pk == keep.pk:
                    continue
                try:
                    supplier_merge(keep=keep, duplicate=duplicate, by=request.user, request=request)
                except MergeError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    merged += 1
            if merged:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d opdrachtnemer is samengevoegd met %(keep)s.",
                        "%(count)d opdrachtnemers zijn samengevoegd met %(keep)s.",
                        merged,
                    ) % {"count": merged, "keep": keep},
                    messages.SUCCESS,
                )
            return None
        ctx = {
            **self.admin_site.each_context(request),
            "title": _("Opdrachtnemers samenvoegen"),
            "opts": self.model._meta,
            "suppliers": suppliers,
            "keep": keep,
            "no_choice": request.POST.get("confirm") == "yes",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "suppliers/admin/supplier_merge.html", ctx)
