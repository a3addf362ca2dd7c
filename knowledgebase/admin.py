from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from knowledgebase.markdown import render_markdown
from knowledgebase.models import (
    Article,
    ArticleFeedback,
    Category,
    HelpRequest,
    HelpRequestAttachment,
    HelpRequestReply,
)
from wizzr.admin_audit import AuditedAdminMixin


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "position", "article_total"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_nl"]}
    search_fields = ["name_nl", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("artikelen"), ordering="article_total")
    def article_total(self, obj) -> int:
        return obj.article_total


class FeedbackInline(admin.TabularInline):
    model = ArticleFeedback
    extra = 0
    can_delete = False
    fields = ["helpful", "remark", "user", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title_nl", "category", "audience", "is_published", "read_count", "helpful_yes", "helpful_no", "score", "updated_at"]
    list_filter = ["is_published", "audience", "category"]
    list_editable = ["is_published"]
    search_fields = ["title_nl", "title_en", "summary_nl", "keywords_nl", "body_nl"]
    prepopulated_fields = {"slug": ["title_nl"]}
    filter_horizontal = ["related"]
    readonly_fields = ["read_count", "updated_at", "preview_nl", "preview_en"]
    inlines = [FeedbackInline]
    change_form_template = "admin/knowledgebase/article/change_form.html"
    fieldsets = [
        (None, {"fields": ["slug", "category", "audience", "position", "is_published", "related"]}),
        (_("Nederlands"), {"fields": ["title_nl", "summary_nl", "keywords_nl", "body_nl", "preview_nl"]}),
        (_("Engels"), {"fields": ["title_en", "summary_en", "keywords_en", "body_en", "preview_en"], "classes": ["collapse"]}),
        (_("Gebruik"), {"fields": ["read_count", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("category")
            .annotate(
                helpful_yes=Count("feedback", filter=Q(feedback__helpful=True)),
                helpful_no=Count("feedback", filter=Q(feedback__helpful=False)),
            )
        )

    @admin.display(description=_("nuttig: ja"), ordering="helpful_yes")
    def helpful_yes(self, obj) -> int:
        return obj.helpful_yes

    @admin.display(description=_("nuttig: nee"), ordering="helpful_no")
    def helpful_no(self, obj) -> int:
        return obj.helpful_no

    @admin.display(description=_("score"))
    def score(self, obj) -> str:
        total = obj.helpful_yes + obj.helpful_no
        return f"{round(100 * obj.helpful_yes / total)} %" if total else "—"

    def _preview(self, obj, language: str):
        """A panel whose ‘Voorbeeld’ button renders the text as it is in the form now, unsaved
        (``preview_view``, through htmx; static/js needs nothing more). It starts with the saved text."""
        source = getattr(obj, f"body_{language}", "") if obj is not None and obj.pk else ""
        shown = render_markdown(source, language) if source else _("Kies ‘Voorbeeld’ om de tekst te zien zoals lezers die zien.")
        return format_html(
            '<div class="kb-admin-preview-panel">'
            '<button type="button" class="button" hx-post="{}" hx-vals=\'{{"language": "{}"}}\' hx-target="#kb-preview-{}"'
            ' aria-controls="kb-preview-{}">{}</button>'
            '<div id="kb-preview-{}" class="kb-admin-preview" aria-live="polite">{}</div></div>',
            reverse("admin:knowledgebase_article_preview"), language, language, language, _("Voorbeeld"), language, shown,
        )

    @admin.display(description=_("voorvertoning (Nederlands)"))
    def preview_nl(self, obj):
        return self._preview(obj, "nl")

    @admin.display(description=_("voorvertoning (Engels)"))
    def preview_en(self, obj):
        return self._preview(obj, "en")

    def get_urls(self):
        return [
            path("voorbeeld/", self.admin_site.admin_view(self.preview_view), name="knowledgebase_article_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The unsaved Markdown of the form's body field (``body_nl`` or ``body_en``), rendered and
        sanitised by the knowledge base's own renderer; answers the htmx POST of the preview button."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        language = request.POST.get("language") if request.POST.get("language") in ("nl", "en") else "nl"
        source = request.POST.get(f"body_{language}", "")
        if not source.strip():
            return HttpResponse(format_html("<p>{}</p>", _("Er is nog geen tekst.")))
        return HttpResponse(
            format_html(
                '<p class="kb-admin-preview__note">{}</p>{}',
                _("Voorbeeld van de tekst zoals die nu in het formulier staat; nog niet opgeslagen."),
                render_markdown(source, language),
            )
        )


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["article", "helpful", "short_remark", "user", "updated_at"]
    list_filter = ["helpful", "article__category"]
    search_fields = ["article__title_nl", "remark"]
    readonly_fields = ["article", "user", "helpful", "remark", "created_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("opmerking"))
    def short_remark(self, obj) -> str:
        return obj.remark[:80]


class ReplyInline(admin.StackedInline):
    model = HelpRequestReply
    extra = 0
    fields = ["author", "created_at", "body"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = HelpRequestAttachment
    extra = 0
    fields = ["display_name", "size", "content_type", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HelpRequest)
class HelpRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "kind", "status", "organisation", "service_point", "asker", "created_at", "updated_at"]
    list_filter = ["status", "kind", "service_point"]
    search_fields = ["subject", "question", "asker__email", "organisation__name"]
    readonly_fields = [
        "organisation", "service_point", "asker", "kind", "subject", "question", "category", "contract",
        "created_at", "updated_at", "applied_at", "applied_by",
    ]
    fields = readonly_fields[:8] + ["status"] + readonly_fields[8:]
    inlines = [AttachmentInline, ReplyInline]

    def has_add_permission(self, request) -> bool:
        return False
