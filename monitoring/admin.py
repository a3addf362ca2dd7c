from django.contrib import admin

from monitoring.models import ContractFollowUp, LastingOutcome, Realisation, Reminder


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
    list_display = ["contract", "organisation", "catalogue_version", "coordinator", "accepted_at", "closed_at"]
    list_filter = ["catalogue_version", "reporting_rhythm"]
    search_fields = ["contract__contract_number", "contract__title"]
    list_select_related = ["contract", "organisation", "catalogue_version__catalogue", "coordinator"]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ["contract", "block", "period_start", "period_end", "invoice_number", "value", "status"]
    list_filter = ["status", "block__category"]
    # An invoice is looked up by its number or its social company's KvK number.
    search_fields = ["contract__contract_number", "invoice_number", "social_company__kvk_number"]
    list_select_related = ["contract", "block"]
    exclude = ["candidate_reference", "birth_year"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "contract", "user"]
    list_filter = ["kind"]


@admin.register(LastingOutcome)
class LastingOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["contract", "months_after", "due_on", "answer", "reported_at", "requested_at", "reminded_at"]
    list_filter = ["months_after", "answer"]
    search_fields = ["contract__contract_number"]
    list_select_related = ["contract"]
    # The person is known by the realisation's reference, which the admin does not show.
    exclude = ["realisation"]
