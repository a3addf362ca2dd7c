"""Kennisbank (search, categories, articles, feedback) and the help desk (hulpvragen, wijzigingen)."""

from __future__ import annotations

import json
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from contracts.models import Contract
from knowledgebase import services
from knowledgebase.forms import FeedbackForm, HelpRequestForm, ReplyForm, StatusForm, contract_change_form_class
from knowledgebase.models import (
    Article,
    ArticleFeedback,
    Category,
    HelpRequest,
    interface_language,
    serving_service_point,
)
from knowledgebase.search import Mode, search_articles
from knowledgebase.widgets import contract_label
from wizzr.access import get_visible_or_404, has_role, organisations_with_role, role_required
from wizzr.models import Role
from wizzr.scanning import download_response
from wizzr.tenancy import current_roles
from wizzr.uploads import parse_uploads_strictly, validate_uploads
from wizzr.widgets import listbox_id

MOST_READ = 5
READ_SESSION_KEY = "kb_read_articles"
QUEUE_FILTERS = {
    "open": [HelpRequest.Status.OPEN, HelpRequest.Status.IN_PROGRESS],
    "answered": [HelpRequest.Status.ANSWERED],
    "closed": [HelpRequest.Status.CLOSED],
    "all": None,
}


# --- Kennisbank ----------------------------------------------------------------------------------


def _categories_with_counts(articles: QuerySet) -> list[Category]:
    counts = dict(articles.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))
    categories = [category for category in Category.objects.all() if counts.get(category.pk)]
    for category in categories:
        category.article_count = counts[category.pk]
    return categories


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Search page behind the robot button; an empty query shows categories and the most read articles."""
    articles = Article.objects.visible_to(request.user)
    results = search_articles(base=articles, query=request.GET.get("q", ""), language=interface_language())
    ctx = {"results": results, "query": results.query, "Mode": Mode}
    if results.mode == Mode.EMPTY:
        ctx["categories"] = _categories_with_counts(articles)
        ctx["most_read"] = articles.select_related("category").order_by(
            "-read_count", "category__position", "position", "title_nl"
        )[:MOST_READ]
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "knowledgebase/article_list.html#results", ctx)
    return render(request, "knowledgebase/article_list.html", ctx)


@login_required
@require_GET
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    articles = Article.objects.visible_to(request.user).filter(category=category).order_by("position", "title_nl")
    if not articles:
        raise Http404
    return render(request, "knowledgebase/category_detail.html", {"category": category, "articles": articles})


def _get_article(request: HttpRequest, slug: str) -> Article:
    """Return the article the user may read, or raise Http404.

    Staff may also open unpublished articles (a preview); other users only what ``visible_to`` allows.
    """
    articles = Article.objects.all() if request.user.is_staff else Article.objects.visible_to(request.user)
    return get_object_or_404(articles.select_related("category"), slug=slug)


def _count_read(request: HttpRequest, article: Article) -> None:
    """Count a read once per session, so that reloading does not climb the "most read" list."""
    seen = request.session.get(READ_SESSION_KEY, [])
    if article.pk in seen or not article.is_published:
        return
    Article.objects.filter(pk=article.pk).update(read_count=F("read_count") + 1)
    request.session[READ_SESSION_KEY] = [*seen[-199:], article.pk]


def _feedback_ctx(request: HttpRequest, article: Article, form: FeedbackForm | None = None, saved: bool = False) -> dict:
    feedback = ArticleFeedback.objects.filter(article=article, user=request.user).first()
    return {
        "article": article,
        "feedback": feedback,
        "feedback_form": form or FeedbackForm(instance=feedback, prefix="feedback"),
        "feedback_saved": saved,
    }


@login_required
@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article(request, slug)
    _count_read(request, article)
    ctx = {
        **_feedback_ctx(request, article),
        "related": article.related.visible_to(request.user).select_related("category"),
        "body_html": article.body_html(),
    }
    return render(request, "knowledgebase/article_detail.html", ctx)


@login_required
@require_POST
def article_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """Store (or change) the user's "Was dit artikel nuttig?" answer."""
    article = get_visible_or_404(Article, request, slug=slug)
    existing = ArticleFeedback.objects.filter(article=article, user=request.user).first()
    form = FeedbackForm(request.POST, instance=existing, prefix="feedback")
    saved = form.is_valid()
    if saved:
        ArticleFeedback.objects.update_or_create(
            article=article,
            user=request.user,
            defaults={"helpful": form.cleaned_data["helpful"], "remark": form.cleaned_data["remark"]},
        )
        form = None
    if request.htmx:
        return render(
            request, "knowledgebase/article_detail.html#feedback", _feedback_ctx(request, article, form, saved),
            status=200 if saved else 400,
        )
    if saved:
        messages.success(request, _("Bedankt voor uw reactie."))
        return redirect(reverse("knowledgebase:article", args=[article.slug]) + "#feedback")
    ctx = {
        **_feedback_ctx(request, article, form),
        "related": article.related.visible_to(request.user),
        "body_html": article.body_html(),
    }
    return render(request, "knowledgebase/article_detail.html", ctx, status=400)


# --- Help requests -------------------------------------------------------------------------------


def _contract_choices(request: HttpRequest) -> QuerySet:
    """Contracts the user may link a question to: visible to them and tied to the current organisation."""
    organisation = request.organisation
    if organisation is None:
        return Contract.objects.none()
    return (
        Contract.objects.visible_to(request.user)
        .filter(Q(organisation=organisation) | Q(organisation__served_by=organisation))
        .order_by("contract_number")
    )


CONTRACT_OPTIONS = 10


@login_required
@require_GET
def contract_options(request: HttpRequest) -> HttpResponse:
    """The contract picker's options: the contracts of ``_contract_choices`` whose number or title
    holds every word typed (any case, accents ignored), the numbers that start with the text first,
    then by number; at most CONTRACT_OPTIONS, with the ``supplierResults`` event the picker announces."""
    text = " ".join("".join(ch for ch in request.GET.get("q", "") if ch.isprintable()).split())[:100]
    listbox = listbox_id(request, default="id_contract_listbox")
    contracts = _contract_choices(request)
    for word in text.split()[:8]:
        contracts = contracts.filter(Q(contract_number__icontains=word) | Q(title__unaccent__icontains=word))
    if not text:
        contracts = contracts.none()
    ordered = contracts.alias(
        number_first=Case(When(contract_number__istartswith=text, then=Value(0)), default=Value(1))
    ).order_by("number_first", "contract_number", "pk")
    found = list(ordered.select_related("organisation")[: CONTRACT_OPTIONS + 1])
    more = 0
    if len(found) > CONTRACT_OPTIONS:
        found = found[:CONTRACT_OPTIONS]
        more = contracts.count() - CONTRACT_OPTIONS
    several_organisations = len({c.organisation_id for c in found}) > 1
    options = [
        {
            "id": f"{listbox}-{index}",
            "number": contract.contract_number,
            "title": contract.title,
            "organisation": contract.organisation.name if several_organisations else "",
            "label": contract_label(contract),
            "data": json.dumps({"uuid": str(contract.uuid), "label": contract_label(contract)}),
        }
        for index, contract in enumerate(found)
    ]
    if found:
        message = ngettext(
            "%(count)d inkoopcontract gevonden. Gebruik pijl omlaag en omhoog om te kiezen.",
            "%(count)d inkoopcontracten gevonden. Gebruik pijl omlaag en omhoog om te kiezen.",
            len(found),
        ) % {"count": len(found)}
    else:
        message = _("Geen inkoopcontract gevonden. Zoek op inkoopcontractnummer of een woord uit de titel.")
    hint = ngettext(
        "Nog %(count)s inkoopcontract — typ meer van het nummer of de titel",
        "Nog %(count)s inkoopcontracten — typ meer van het nummer of de titel",
        more,
    ) % {"count": number_format(more, force_grouping=True)} if more else ""
    if hint:
        message = f"{message} {hint}."
    # A fragment: no context processors (the header's figures) are needed.
    response = HttpResponse(render_to_string("knowledgebase/_contract_options.html", {"options": options}))
    return trigger_client_event(response, "supplierResults", {"count": len(found), "message": message, "more": hint}, after="swap")


def _submit(request: HttpRequest, form: HelpRequestForm, *, kind: str, contract=None) -> HttpResponse | None:
    """Validate the uploads and store the request; return a redirect, or None with errors on ``form``."""
    uploads, upload_errors = validate_uploads(request.FILES.getlist("attachment"), request=request, max_files=1)
    for error in upload_errors:
        form.add_error("attachment", error)
    if upload_errors or not form.is_valid():
        return None
    contract = contract or form.cleaned_data.get("contract")
    organisation = contract.organisation if kind == HelpRequest.Kind.CHANGE else request.organisation
    service_point = serving_service_point(organisation) or (
        serving_service_point(contract.organisation) if contract else None
    )
    try:
        help_request = services.help_request_submit(
            organisation=organisation,
            service_point=service_point,
            asker=request.user,
            kind=kind,
            subject=form.cleaned_data["subject"],
            question=form.cleaned_data["question"],
            category=form.cleaned_data.get("category"),
            contract=contract,
            uploads=uploads,
            request=request,
        )
    except services.NoServicePoint:
        form.add_error(
            None,
            _("Uw organisatie is nog niet gekoppeld aan een Steunpunt SROI, dus niemand kan uw vraag beantwoorden. "
              "Neem contact op met de beheerder van WIZZR."),
        )
        return None
    if kind == HelpRequest.Kind.CHANGE:
        messages.success(request, _("Uw wijziging is doorgegeven aan de SROI-coördinator."))
    else:
        messages.success(request, _("Uw hulpvraag is verstuurd. U krijgt bericht zodra er een antwoord is."))
    return redirect("knowledgebase:help_request_detail", uuid=help_request.uuid)


@login_required
@parse_uploads_strictly
def help_request_create(request: HttpRequest) -> HttpResponse:
    """Stel een hulpvraag; ``?contract=<uuid>`` preselects a contract, ``?categorie=<slug>`` a category."""
    contracts = _contract_choices(request)
    initial = {}
    contract_missing = False
    if wanted := request.GET.get("contract"):
        try:
            initial["contract"] = contracts.get(uuid=UUID(wanted)).uuid
        except (ValueError, Contract.DoesNotExist):
            contract_missing = True
    if wanted := request.GET.get("categorie"):
        initial["category"] = Category.objects.filter(slug=wanted).first()
    form = HelpRequestForm(request.POST or None, request.FILES or None, contracts=contracts, initial=initial)
    if request.method == "POST":
        response = _submit(request, form, kind=HelpRequest.Kind.QUESTION)
        if response is not None:
            return response
    ctx = {"form": form, "kind": HelpRequest.Kind.QUESTION, "contract_missing": contract_missing}
    return render(request, "knowledgebase/help_request_form.html", ctx, status=400 if request.method == "POST" else 200)


@login_required
@parse_uploads_strictly
def change_request_create(request: HttpRequest, contract_uuid: UUID) -> HttpResponse:
    """Wijziging doorgeven: the help-request form for one contract, with its current data shown."""
    contract = get_visible_or_404(
        Contract.objects.select_related("organisation", "supplier"), request, uuid=contract_uuid
    )
    if not has_role(request, contract.organisation_id):
        # Coordinators see the contract but change it themselves; only the buyer passes changes on.
        raise PermissionDenied
    form = HelpRequestForm(
        request.POST or None,
        request.FILES or None,
        contracts=Contract.objects.none(),
        kind=HelpRequest.Kind.CHANGE,
        initial={"subject": _("Wijziging %(number)s") % {"number": contract.contract_number}},
    )
    if request.method == "POST" and not contract.is_draft:
        response = _submit(request, form, kind=HelpRequest.Kind.CHANGE, contract=contract)
        if response is not None:
            return response
    ctx = {"form": form, "kind": HelpRequest.Kind.CHANGE, "contract": contract}
    return render(request, "knowledgebase/help_request_form.html", ctx, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def help_request_list(request: HttpRequest) -> HttpResponse:
    """Mijn hulpvragen: the user's own requests, and for organisation admins those of their organisation."""
    admin_of = organisations_with_role(request, Role.ORG_ADMIN)
    requests = (
        HelpRequest.objects.visible_to(request.user)
        .filter(Q(asker=request.user) | Q(organisation_id__in=admin_of))
        .select_related("asker", "organisation")
        # The page's contracts by id afterwards: joined, PostgreSQL read every contract before the LIMIT.
        .prefetch_related("contract")
        .annotate(reply_count=Count("replies"))
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(requests, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "knowledgebase/help_request_list.html",
        {"page": page, "is_org_admin": Role.ORG_ADMIN in current_roles(request)},
    )


@login_required
@role_required(Role.COORDINATOR)
@require_GET
def help_request_queue(request: HttpRequest) -> HttpResponse:
    """The coordinator's queue: help requests of the authorities their service point serves."""
    status = request.GET.get("status", "open")
    if status not in QUEUE_FILTERS:
        status = "open"
    requests = HelpRequest.objects.visible_to(request.user).filter(service_point=request.organisation)
    counts = {key: requests.filter(status__in=value).count() if value else requests.count() for key, value in QUEUE_FILTERS.items()}
    if QUEUE_FILTERS[status]:
        requests = requests.filter(status__in=QUEUE_FILTERS[status])
    # The page's contracts by id afterwards: joined, PostgreSQL read every contract before the LIMIT.
    requests = (
        requests.select_related("asker", "organisation", "category").prefetch_related("contract").order_by("updated_at", "pk")
    )
    page = Paginator(requests, 25).get_page(request.GET.get("pagina"))
    filters = [
        (key, label, counts[key])
        for key, label in [("open", _("Open en in behandeling")), ("answered", _("Beantwoord")), ("closed", _("Gesloten")), ("all", _("Alle"))]
    ]
    ctx = {"page": page, "status": status, "filters": filters}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "knowledgebase/help_request_queue.html#queue", ctx)
    return render(request, "knowledgebase/help_request_queue.html", ctx)


def _get_help_request(request: HttpRequest, uuid: UUID) -> HelpRequest:
    """Return the help request ``uuid`` if the user may see it (see ``HelpRequest.objects.visible_to``).

    Raises Http404 otherwise, the same answer as for an id that does not exist.
    """
    return get_visible_or_404(
        HelpRequest.objects.select_related(
            "asker", "organisation", "service_point", "contract", "category", "applied_by"
        ),
        request,
        uuid=uuid,
    )


def _detail_ctx(request: HttpRequest, help_request: HelpRequest, reply_form: ReplyForm | None = None) -> dict:
    coordinator = services.is_coordinator_for(request, help_request)
    can_reply = coordinator or (help_request.asker_id == request.user.pk and not help_request.is_closed)
    contract = help_request.contract
    return {
        "help_request": help_request,
        "replies": help_request.replies.select_related("author"),
        "coordinator_ids": set(services.coordinators_of(help_request.service_point).values_list("pk", flat=True)),
        "attachments": help_request.attachments.all(),
        "is_coordinator": coordinator,
        "can_reply": can_reply,
        "reply_form": reply_form or (ReplyForm(coordinator=coordinator) if can_reply else None),
        "status_form": StatusForm(initial={"status": help_request.status}) if coordinator else None,
        "contract_visible": bool(contract and Contract.objects.visible_to(request.user).filter(pk=contract.pk).exists()),
        "can_apply": coordinator and help_request.is_change and contract is not None and help_request.applied_at is None,
    }


@login_required
@require_GET
def help_request_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    help_request = _get_help_request(request, uuid)
    return render(request, "knowledgebase/help_request_detail.html", _detail_ctx(request, help_request))


@login_required
@require_POST
def help_request_reply(request: HttpRequest, uuid: UUID) -> HttpResponse:
    help_request = _get_help_request(request, uuid)
    ctx = _detail_ctx(request, help_request)
    if not ctx["can_reply"]:
        raise PermissionDenied
    form = ReplyForm(request.POST, coordinator=ctx["is_coordinator"])
    if not form.is_valid():
        ctx["reply_form"] = form
        return render(request, "knowledgebase/help_request_detail.html", ctx, status=400)
    services.help_request_reply(
        help_request=help_request,
        author=request.user,
        body=form.cleaned_data["body"],
        status=form.cleaned_data.get("status"),
        request=request,
    )
    messages.success(request, _("Uw reactie is geplaatst."))
    return redirect(reverse("knowledgebase:help_request_detail", args=[help_request.uuid]) + "#thread")


@login_required
@require_POST
def help_request_status(request: HttpRequest, uuid: UUID) -> HttpResponse:
    help_request = _get_help_request(request, uuid)
    if not services.is_coordinator_for(request, help_request):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if form.is_valid() and form.cleaned_data["status"] != help_request.status:
        services.help_request_set_status(
            help_request=help_request, by=request.user, status=form.cleaned_data["status"], request=request
        )
        messages.success(
            request, _("De status is nu ‘%(status)s’.") % {"status": help_request.get_status_display()}
        )
    target = reverse("knowledgebase:help_request_detail", args=[help_request.uuid])
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@login_required
@require_GET
def help_request_attachment(request: HttpRequest, uuid: UUID, attachment_uuid: UUID) -> HttpResponse:
    """Serve an attachment of a visible help request: always as a download, never rendered."""
    help_request = _get_help_request(request, uuid)
    attachment = get_object_or_404(help_request.attachments.all(), uuid=attachment_uuid)
    return download_response(request, attachment)


@login_required
def change_request_apply(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The coordinator edits the contract fields in question and marks the change request applied."""
    help_request = _get_help_request(request, uuid)
    if not help_request.is_change or help_request.contract_id is None:
        raise Http404
    if not services.is_coordinator_for(request, help_request):
        raise PermissionDenied
    contract = get_visible_or_404(Contract, request, pk=help_request.contract_id)
    form_class = contract_change_form_class()
    if help_request.applied_at is not None:
        messages.info(request, _("Deze wijziging is al doorgevoerd."))
        return redirect("knowledgebase:help_request_detail", uuid=help_request.uuid)
    # The form edits its own copy, so the page keeps showing the stored values next to the edits.
    form = form_class(request.POST or None, instance=Contract.objects.get(pk=contract.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_request_apply(help_request=help_request, form=form, by=request.user, request=request)
        except services.AlreadyApplied:
            messages.info(request, _("Deze wijziging is al doorgevoerd."))
            return redirect("knowledgebase:help_request_detail", uuid=help_request.uuid)
        except IntegrityError:
            # A concurrent edit took the contract number (or broke another constraint) after validation.
            form.add_error(None, _("Het inkoopcontract is intussen gewijzigd. Controleer de gegevens en probeer het opnieuw."))
        else:
            messages.success(request, _("De wijziging is doorgevoerd en staat op de tijdlijn van het inkoopcontract."))
            return redirect("knowledgebase:help_request_detail", uuid=help_request.uuid)
    ctx = {"help_request": help_request, "contract": contract, "form": form}
    return render(request, "knowledgebase/change_request_form.html", ctx, status=400 if request.method == "POST" else 200)
