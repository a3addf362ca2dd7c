from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from contracts.models import Attachment, Contract
from contracts.services import MoveRefused, contract_delete, contract_move_organisation
from contracts.tenancy import contract_rows
from wizzr.admin_audit import AuditedAdminMixin
from wizzr.models import Organisation


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ["display_name", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        # Files only arrive through the checked upload flow.
        return False


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class MoveForm(forms.Form):
    # Every organisation is offered; the service refuses the wrong kind with a message that says why.
    organisation = OrganisationChoiceField(
        label=_("Nieuwe organisatie"), queryset=Organisation.objects.order_by("kind", "name")
    )
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
        help_text=_("Waarom gaat het inkoopcontract over? De reden komt in het auditlogboek van beide organisaties."),
    )


@admin.register(Contract)
class ContractAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Organisation, supplier and status are not form fields: the organisation changes through
    "Organisatie wijzigen" (reauthentication, a reason, an audit event), the status only along the
    workflow in the coordinator's workspace, the supplier in the buyer's own form while a concept."""

    list_display = ["contract_number", "title", "organisation", "supplier", "status", "start_date", "end_date"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["contract_number", "title", "supplier__legal_name", "supplier__kvk_number"]
    filter_horizontal = ["contact_persons"]
    readonly_fields = [
        "uuid", "organisation_with_action", "supplier_with_note", "status_with_link", "created_by", "created_at",
        "updated_at", "handed_over_by", "handed_over_at", "obligation_discount", "obligation_discount_label",
    ]
    fieldsets = (
        (None, {"fields": (
            "contract_number", "title", "start_date", "end_date", "organisation_with_action", "supplier_with_note",
            "status_with_link",
        )}),
        (_("Opdracht"), {"fields": (
            "contract_value", "sroi_percentage", "sroi_fixed_amount", "obligation_discount", "obligation_discount_label",
            "kind", "description", "sroi_paragraph", "department", "award_date",
        )}),
        (_("Contactpersonen"), {"fields": (
            "supplier_contact_name", "supplier_contact_email", "supplier_contact_phone", "remarks_for_coordinator",
            "contact_persons",
        )}),
        (_("Herkomst"), {"fields": ("uuid", "created_by", "created_at", "updated_at", "handed_over_by", "handed_over_at")}),
    )
    audit_withheld = ("supplier_contact_name", "supplier_contact_email", "supplier_contact_phone")
    date_hierarchy = "start_date"
    inlines = [AttachmentInline]
    actions = None  # no bulk delete: a contract goes one at a time, and only as a concept

    def has_add_permission(self, request) -> bool:
        # Contracts are entered by the buyer's advisor, in the product's own form.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only a concept may go, as in the product; with its attachments' files (contract_delete).
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def delete_model(self, request, obj: Contract) -> None:
        contract_delete(contract=obj, by=request.user, request=request)

    @admin.display(description=_("organisatie"))
    def organisation_with_action(self, obj: Contract):
        if obj.pk is None:
            return "—"
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            obj.organisation, reverse("admin:contracts_contract_move", args=[obj.pk]), _("Organisatie wijzigen"),
        )

    @admin.display(description=_("Uitvoerende partij"))
    def supplier_with_note(self, obj: Contract):
        if obj.pk is None:
            return "—"
        return format_html(
            '{}<div class="help">{}</div>',
            obj.supplier,
            _("De uitvoerende partij kiest de inkoopadviseur in het contractformulier zolang het inkoopcontract "
              "een concept is. Dubbele opdrachtnemers voegt u samen in het register."),
        )

    @admin.display(description=_("status"))
    def status_with_link(self, obj: Contract):
        if obj.pk is None:
            return "—"
        if obj.is_draft:
            return format_html(
                '{}<div class="help">{}</div>', obj.get_status_display(),
                _("Een concept wordt overgedragen door de inkoopadviseur."),
            )
        return format_html(
            '{} <a href="{}">{}</a><div class="help">{}</div>',
            obj.get_status_display(), reverse("monitoring:workspace", args=[obj.uuid]),
            _("Naar de werkruimte van de Regisseur Social Return"),
            _("De status volgt de stappen van de opvolging en verandert alleen daar."),
        )

    def get_urls(self):
        move = self.admin_site.admin_view(reauthentication_required(self.move_view, allow_get=True))
        return [path("<path:object_id>/organisatie/", move, name="contracts_contract_move"), *super().get_urls()]

    def move_view(self, request, object_id: str):
        """Move a contract, with everything that carries its organisation, to another contracting authority."""
        contract = get_object_or_404(Contract.objects.select_related("organisation", "supplier"), pk=object_id)
        if not self.has_change_permission(request, contract):
            raise PermissionDenied
        form = MoveForm(request.POST or None)
        form.fields["organisation"].queryset = form.fields["organisation"].queryset.exclude(pk=contract.organisation_id)
        if request.method == "POST" and form.is_valid():
            try:
                contract_move_organisation(
                    contract=contract, to=form.cleaned_data["organisation"], reason=form.cleaned_data["reason"],
                    by=request.user, request=request,
                )
            except MoveRefused as refusal:
                form.add_error("organisation", str(refusal))
            else:
                self.message_user(
                    request,
                    _("%(contract)s hoort nu bij %(organisation)s.") % {"contract": contract, "organisation": contract.organisation},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:contracts_contract_change", args=[contract.pk]))
        ctx = {
            **self.admin_site.each_context(request),
            "title": _("Organisatie wijzigen"),
            "opts": self.opts,
            "original": contract,
            "form": form,
            "moving": sorted({str(model._meta.verbose_name_plural) for model in [Attachment, *contract_rows()]}),
        }
        return TemplateResponse(request, "contracts/admin/contract_move.html", ctx)
