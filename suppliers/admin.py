import math

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from suppliers.models import PsoCertificate, Supplier
from suppliers.search import clean_input, identifier_lookup, search_supplier_ids
from suppliers.services import MergeError, supplier_merge, supplier_usage
from wizzr.admin_audit import AuditedAdminMixin

MERGE_MAX = 20
# The registry has millions of rows: the list pages no further than this, and a name search shows
# at most this many of the search engine's best matches. Both ask the administrator to narrow down.
MAX_PAGE = 200
SEARCH_LIMIT = 200
# Establishments of the same company and contracts shown on a supplier's page.
RELATED_LIMIT = 25


def estimated_rows(model) -> int:
    """The planner's estimate of the number of rows in ``model``'s table (-1 when never analysed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row else -1


class RegistryPaginator(Paginator):
    """Pages over the registry without counting it.

    The unfiltered list takes the planner's row estimate; a filtered or searched list is counted up
    to what the pages can show (``MAX_PAGE`` pages) and no further. ``estimated`` and ``capped`` say
    which of the two the count is, so the page can say "about" or "more than".
    """

    estimated = False
    capped = False

    @property
    def cap(self) -> int:
        return self.per_page * MAX_PAGE

    @cached_property
    def count(self) -> int:
        queryset = self.object_list.order_by()
        cap = self.cap
        if not queryset.query.where:
            estimate = estimated_rows(queryset.model)
            if estimate > cap:
                self.estimated = True
                return estimate
            # A small or never analysed table: read at most cap + 1 ids rather than count it all.
            count = len(queryset.values_list("pk", flat=True)[: cap + 1])
        else:
            count = queryset[: cap + 1].count()
        self.capped = count > cap
        return count

    @cached_property
    def num_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return min(math.ceil(max(1, self.count - self.orphans) / self.per_page), MAX_PAGE)


class RegistryChangeList(ChangeList):
    """Shows the last page there is (``MAX_PAGE``) for a deeper one, and says how to get further."""

    def get_results(self, request):
        if self.page_num > MAX_PAGE:
            self.page_num = MAX_PAGE
            self.model_admin.message_user(
                request,
                _("De lijst gaat tot pagina %(max)d. Zoek of filter om verder te komen.") % {"max": MAX_PAGE},
                messages.WARNING,
            )
        super().get_results(request)


def _change_link(model, pk) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return None


IDENTITY_FIELDS = ("legal_name", "trade_name", "kvk_number", "branch_number", "is_main_branch", "is_active")
ADDRESS_FIELDS = ("street", "house_number", "postcode", "city", "phone", "email", "website")
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


class SupplierAdminForm(forms.ModelForm):
    """Refuses a second record of an establishment (same KvK number and branch number) with a link
    to the one that exists."""

    duplicate: Supplier | None = None

    class Meta:
        model = Supplier
        # The editable fields of SupplierAdmin's fieldsets (the admin passes those, read-only ones left out).
        fields = [*IDENTITY_FIELDS, *ADDRESS_FIELDS, *CONTACT_FIELDS]

    def clean(self):
        cleaned = super().clean()
        kvk = cleaned.get("kvk_number", self.instance.kvk_number)
        branch = cleaned.get("branch_number", self.instance.branch_number)
        if kvk:
            self.duplicate = (
                Supplier.objects.filter(kvk_number=kvk, branch_number=branch or "").exclude(pk=self.instance.pk).first()
            )
        if self.duplicate is not None:
            raise ValidationError(
                format_html(
                    _('Deze vestiging staat al in het register (KvK-nummer {kvk}, vestigingsnummer {branch}): '
                      '<a href="{url}">{name}</a>.'),
                    kvk=kvk,
                    branch=branch or _("geen"),
                    url=_change_link(Supplier, self.duplicate.pk) or "",
                    name=self.duplicate,
                ),
                code="duplicate",
            )
        return cleaned

    def validate_constraints(self):
        # The database's own unique check would repeat the message above without the link.
        if self.duplicate is None:
            super().validate_constraints()


@admin.register(Supplier)
class SupplierAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = SupplierAdminForm
    paginator = RegistryPaginator
    list_display = ["legal_name", "trade_name", "kvk_number", "branch_number", "city", "is_main_branch", "is_active", "source"]
    list_filter = ["is_active", "source", "is_main_branch"]
    # Only shows the search box: get_search_results searches with the typeahead's engine.
    search_fields = ["legal_name"]
    search_help_text = _(
        "Zoek op (het begin van) woorden uit naam, handelsnaam of plaats, of precies op KvK-nummer "
        "(8 cijfers), vestigingsnummer (12 cijfers) of postcode (1234 AB). Op naam worden alleen actieve "
        "opdrachtnemers gevonden."
    )
    # The name index gives this order; other columns would sort millions of rows.
    ordering = ["name_key", "id"]
    sortable_by = ()
    show_full_result_count = False
    list_per_page = 50
    readonly_fields = ["uuid", "source", "added_by", "added_at", "merged_into"]
    # Identifiers that come from the registry import are corrected by the next import, not by hand.
    registry_readonly_fields = ["kvk_number", "branch_number"]
    raw_id_fields = []
    actions = ["merge_suppliers"]
    fieldsets = (
        (None, {"fields": IDENTITY_FIELDS}),
        (_("Adres en contact"), {"fields": ADDRESS_FIELDS}),
        (_("Contactpersoon"), {"fields": CONTACT_FIELDS}),
        (_("Herkomst"), {"fields": ("uuid", "source", "added_by", "added_at", "merged_into")}),
    )

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # Deleting in bulk does not fit reference data that contracts point at.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.source == Supplier.Source.REGISTRY:
            fields += self.registry_readonly_fields
        return fields

    def get_search_results(self, request, queryset, search_term):
        """Identifiers (KvK number, branch number, postcode) are exact lookups on their indexes; any
        other text goes through the typeahead's search engine (suppliers_search), so ``%``, ``_`` and
        quotes are plain characters and no search reads the whole registry."""
        text = clean_input(search_term)
        if not text:
            return queryset, False
        lookup = identifier_lookup(text)
        if lookup is not None:
            return queryset.filter(lookup), False
        ids = search_supplier_ids(text, limit=SEARCH_LIMIT)
        if len(ids) >= SEARCH_LIMIT:
            self.message_user(
                request,
                _("Alleen de %(count)d best passende opdrachtnemers worden getoond; maak de zoekopdracht specifieker.")
                % {"count": SEARCH_LIMIT},
                messages.INFO,
            )
        return queryset.filter(pk__in=ids), False

    def get_changelist(self, request, **kwargs):
        return RegistryChangeList

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = Supplier.Source.USER
            obj.added_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(self._related_context(obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def _related_context(self, supplier: Supplier) -> dict:
        """The company's other establishments and the contracts that name this one, each at most
        RELATED_LIMIT with the total; both are lookups on an index (KvK number, the foreign key)."""
        others = Supplier.objects.filter(kvk_number=supplier.kvk_number).exclude(pk=supplier.pk)
        establishments = list(others.order_by("branch_number", "id")[:RELATED_LIMIT])
        for establishment in establishments:
            establishment.admin_url = _change_link(Supplier, establishment.pk)
        full = len(establishments) == RELATED_LIMIT
        ctx = {
            "other_establishments": establishments,
            "other_establishments_count": others.count() if full else len(establishments),
            "related_limit": RELATED_LIMIT,
        }
        # The reverse relation of Contract.supplier (related_name "contracts"); the registry does
        # not import the contracts app and shows nothing when it is not installed.
        uses = getattr(supplier, "contracts", None)
        if uses is not None:
            contracts = list(uses.select_related("organisation").order_by("-pk")[:RELATED_LIMIT])
            for contract in contracts:
                contract.admin_url = _change_link(type(contract), contract.pk)
            ctx["contracts"] = contracts
            ctx["contracts_count"] = uses.count() if len(contracts) == RELATED_LIMIT else len(contracts)
        return ctx

    @admin.action(description=_("Dubbele opdrachtnemers samenvoegen"), permissions=["change"])
    def merge_suppliers(self, request, queryset):
        suppliers = list(queryset.order_by("name_key", "id")[: MERGE_MAX + 1])
        if len(suppliers) < 2 or len(suppliers) > MERGE_MAX:
            self.message_user(
                request, _("Kies twee tot %(max)d opdrachtnemers om samen te voegen.") % {"max": MERGE_MAX}, messages.ERROR
            )
            return None
        keep = next((s for s in suppliers if str(s.pk) == request.POST.get("keep")), None)
        if request.POST.get("confirm") != "yes" or keep is None:
            usage = supplier_usage([s.pk for s in suppliers])
            for supplier in suppliers:
                supplier.usage = usage.get(supplier.pk, [])
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


@admin.register(PsoCertificate)
class PsoCertificateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """PSO certificates to read and find by KvK number. Coordinators record and check them from a
    contract (with the file, scanned like every upload); here they are only looked up."""

    list_display = ["kvk_number", "level", "valid_from", "valid_until", "is_checked", "checked_by", "recorded_at"]
    list_filter = ["level", ("checked_at", admin.EmptyFieldListFilter)]
    search_fields = ["=kvk_number"]
    search_help_text = _("Zoek op KvK-nummer (8 cijfers).")
    list_select_related = ["checked_by"]
    ordering = ["kvk_number", "-valid_from"]
    fields = [
        "kvk_number", "level", "valid_from", "valid_until", "display_name", "size", "scan_status",
        "checked_by", "checked_at", "recorded_by", "recorded_at", "organisation",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("gecontroleerd"), boolean=True, ordering="checked_at")
    def is_checked(self, obj: PsoCertificate) -> bool:
        return obj.is_checked
