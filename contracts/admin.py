from django.contrib import admin

from contracts.models import Attachment, Contract


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ["display_name", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        # Files only arrive through the checked upload flow.
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["contract_number", "title", "organisation", "supplier", "status", "start_date", "end_date"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["contract_number", "title", "supplier__legal_name", "supplier__kvk_number"]
    raw_id_fields = ["supplier", "created_by", "handed_over_by"]
    filter_horizontal = ["contact_persons"]
    readonly_fields = ["uuid", "created_at", "updated_at", "handed_over_at"]
    date_hierarchy = "start_date"
    inlines = [AttachmentInline]
