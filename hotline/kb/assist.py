"""The knowledge base where work happens: beside intake, when units reply, on the portal.

- :func:`intake_suggestions` (HTMX): as the operator types the request, the best five articles;
  "answer with this article" fills the answer box and two hidden fields, and the intake calls
  :func:`answer_source` and :func:`record_answer` so the answer event names the article and
  revision and the search learns the citizen's wording.
- :func:`reply_help` (HTMX): similar earlier orders of the same unit whose replies the citizen
  rated satisfied — never another unit's orders.
- :func:`portal_search` / :func:`portal_article` / :func:`portal_suggestions`: citizens search
  published public articles; the submit form shows matches before they send.
- :func:`answered_with_article_share`: the dashboard figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from hotline.kb import actions
from hotline.kb.content import plain_text, public_part
from hotline.kb.forms import parse_id
from hotline.kb.models import Article, ArticleUse, UseKind
from hotline.kb.rules import can_view, visible_articles
from hotline.kb.search import index
from hotline.kb.search.engine import PORTAL_CUTOFF, Bm25Index
from hotline.orders.models import Action, Event, Kind, Satisfaction, WorkOrder
from hotline.orders.rules import can_view as can_view_order
from hotline.orders.rules import visible_orders
from hotline.org.models import Role, User
from hotline.portal import limits

SUGGESTIONS = 5
#: Suggestions nobody asked for show only results scoring at least this share of the best.
SUGGESTION_RATIO = 0.35
#: Beside the intake form the floor is higher: a description's everyday words (小区, 门口, 晚上,
#: 老人) match the wording of the orders consultation articles answered, and five unrelated
#: articles sat under the one about the subject (h5 L2).
INTAKE_SUGGESTION_RATIO = 0.5
#: How much of an article the answer box takes (the operator edits it before saving).
ANSWER_CHARS = 2000


#: How much of each field the as-you-type suggestions send (intake and portal): the search
#: reads the first 500 characters anyway, and a Chinese character takes nine in a URL, so a long
#: description passed gunicorn's 4,094-byte request line (414) and the suggestions froze. The
#: boxes carry these in ``data-kb-limits`` (``{% kb_suggest_limits %}``) for their scripts.
SUGGEST_FIELD_CHARS = {"title": 100, "description": 300}


def _query(request: HttpRequest) -> str:
    get = request.GET
    title = get.get("title", "")[: SUGGEST_FIELD_CHARS["title"]]
    description = get.get("description", "")[: SUGGEST_FIELD_CHARS["description"]]
    return f"{title} {description} {get.get('q', '')}".strip()[:500]


def _with_subject(request: HttpRequest, query: str) -> str:
    """The operator's words and the subject the category model names for them with confidence
    (the category suggestion beside the form: "路灯不亮" for a description of a dark street):
    a description alone, before any title, finds the article about its subject, whose title
    names the subject in the category's words rather than the caller's."""
    from hotline.dispatch.services import suggest_categories

    get = request.GET
    title = get.get("title", "")[: SUGGEST_FIELD_CHARS["title"]]
    description = get.get("description", "")[: SUGGEST_FIELD_CHARS["description"]]
    if not (title or description).strip():
        return query
    names = [category.name for category, _chance in suggest_categories(title, description)[:1]]
    return " ".join([*names, query])[:500]


@login_required
def intake_suggestions(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_role(Role.OPERATOR, Role.DISPATCHER):
        raise PermissionDenied(_("Your role may not do this."))
    query = _query(request)
    results = (
        index.search(
            _with_subject(request, query),
            public_only=False,
            with_orders=True,
            limit=SUGGESTIONS,
            min_ratio=INTAKE_SUGGESTION_RATIO,
        )
        if query
        else []
    )
    texts = dict(
        Article.objects.filter(pk__in=[r.article_id for r in results]).values_list(
            "pk", "published__body"
        )
    )
    rows = [
        {"r": r, "answer": plain_text(public_part(texts.get(r.article_id) or ""))[:ANSWER_CHARS]}
        for r in results
    ]
    return render(request, "kb/_intake_suggestions.html", {"rows": rows, "query": query})


def answer_source(user: User, post: Any) -> dict[str, int]:
    """The article an intake answer was taken from, checked: ``{"kb_article", "kb_revision"}``
    when the posted ids name a published revision the operator may see, else ``{}``."""
    article_id, revision_id = parse_id(post.get("kb_article")), parse_id(post.get("kb_revision"))
    if article_id is None or revision_id is None:
        return {}
    article = Article.objects.filter(pk=article_id, published_id=revision_id).first()
    if article is None or not can_view(user, article):
        return {}
    return {"kb_article": article.pk, "kb_revision": revision_id}


def record_answer(order: WorkOrder, user: User, source: dict[str, int]) -> None:
    """After the answer event: the article was used for this order (the search learns from it)."""
    if not source:
        return
    article = Article.objects.get(pk=source["kb_article"])
    actions.record_use(article, user, UseKind.ANSWER, order=order)


# --- reply help ------------------------------------------------------------------------------

REPLY_HELP_LIMIT = 5
REPLY_HELP_POOL = 500  # the unit's newest satisfied orders: indexed per request, kept small


@login_required
def reply_help(request: HttpRequest) -> HttpResponse:
    """Earlier orders of the same lead unit, closed with a satisfied citizen, most similar first.

    Only the unit's own orders are searched (its citizens' data stays inside the unit), and the
    page shows what worked — title and reply — not who asked.
    """
    user: User = request.user  # type: ignore[assignment]
    order = get_object_or_404(WorkOrder, number=request.GET.get("order", ""))
    if not can_view_order(user, order) or order.lead_unit_id is None:
        raise Http404
    # Only orders the user may open: a co-handling unit sees this order, but the lead unit's other
    # orders (their titles and replies) are not its to read.
    earlier = WorkOrder.objects.filter(
        lead_unit_id=order.lead_unit_id,
        satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED],
    )
    pool = list(
        visible_orders(user, earlier)
        .exclude(pk=order.pk)
        .exclude(reply_text="")
        .order_by("-closed_at")
        .values("number", "title", "description", "reply_text", "closed_at")[:REPLY_HELP_POOL]
    )
    rows: list[dict[str, Any]] = []
    if pool:
        engine = Bm25Index().build([{"title": p["title"], "body": p["description"]} for p in pool])
        hits = engine.search(f"{order.title} {order.description}", limit=REPLY_HELP_LIMIT)
        rows = [dict(pool[h.doc]) for h in hits]
    return render(request, "kb/_reply_help.html", {"rows": rows, "order": order})


# --- portal ----------------------------------------------------------------------------------


def portal_search(request: HttpRequest) -> HttpResponse:
    """Citizens search the published public articles (no login). Only what answers the question
    well enough is shown (:data:`~hotline.kb.search.engine.PORTAL_CUTOFF`): before, every article
    sharing any word came back, ranked, however weak; with nothing good the page says so and
    leads to 12345 and the online form."""
    query = request.GET.get("q", "").strip()[:200]
    results = index.search(query, public_only=True, limit=10, cutoff=PORTAL_CUTOFF) if query else []
    return render(request, "kb/portal_search.html", {"query": query, "results": results})


#: A citizen's opening of an article from a search counts once a day per client address: each
#: counted click raises the article's popularity prior, and anyone could otherwise reload
#: /portal/kb/N/?q=… to push an article up (and write a row per reload).
CLICK_ONCE_PER = limits.Limit("kb-click", "ip", 1, dt.timedelta(days=1))


def _first_click_today(request: HttpRequest, article: Article) -> bool:
    where = f"{limits.client_address(request)}|{article.pk}"
    return not limits.exceeded([CLICK_ONCE_PER], {"ip": where})


def portal_article(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(
        visible_articles(None).select_related("published", "published__unit"), pk=pk
    )
    query = request.GET.get("q", "").strip()
    if query and _first_click_today(request, article):
        actions.record_use(article, None, UseKind.CLICK, query=query)
    shown = article.published
    assert shown is not None  # visible to citizens: published
    context = {"article": article, "shown": shown, "body": public_part(shown.body)}
    return render(request, "kb/portal_article.html", context)


#: How many articles the submit form shows (and so at most how many a sent request marks).
PORTAL_SUGGESTIONS = 3


def portal_suggestions(request: HttpRequest) -> HttpResponse:
    """HTMX on the submit form: public articles that may already answer the request."""
    query = _query(request)
    results = (
        index.search(query, public_only=True, limit=PORTAL_SUGGESTIONS, min_ratio=SUGGESTION_RATIO)
        if len(query) >= 4
        else []
    )
    return render(request, "kb/_portal_suggestions.html", {"results": results, "query": query})


#: "This did not help" counts once a day per client address and article, as a click does:
#: anyone could otherwise send request after request naming an article to sink it.
NOT_HELPFUL_ONCE_PER = limits.Limit("kb-not-helpful", "ip", 1, dt.timedelta(days=1))


def record_not_helpful(request: HttpRequest, order: WorkOrder) -> int:
    """The submit form showed these articles (the ``kb_shown`` fields the suggestions box put in
    the form) and the citizen sent the request anyway: each did not help. Only public published
    articles count (what the box can show), at most as many as it shows; the use names the order,
    not the citizen's words. Returns how many were recorded."""
    ids: list[int] = []
    for raw in request.POST.getlist("kb_shown")[:PORTAL_SUGGESTIONS]:
        pk = parse_id(raw)
        if pk is not None and pk not in ids:
            ids.append(pk)
    if not ids:
        return 0
    address = limits.client_address(request)
    recorded = 0
    for article in visible_articles(None).filter(pk__in=ids).order_by("pk"):
        if limits.exceeded([NOT_HELPFUL_ONCE_PER], {"ip": f"{address}|{article.pk}"}):
            continue
        actions.record_use(article, None, UseKind.NOT_HELPFUL, order=order)
        recorded += 1
    return recorded


# --- dashboard -------------------------------------------------------------------------------


def answered_with_article_share(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Consultations registered in [start, end): how many, how many answered directly at intake,
    and how many of those answers came from an article (the answer event names it)."""
    consultations = WorkOrder.objects.filter(
        kind=Kind.CONSULTATION, registered_at__gte=start, registered_at__lt=end
    )
    answers = Event.objects.filter(action=Action.ANSWER, order__in=consultations)
    total = consultations.count()
    answered = answers.count()
    with_article = answers.filter(payload__has_key="kb_article").count()
    return {
        "consultations": total,
        "answered": answered,
        "with_article": with_article,
        "share": with_article / total if total else None,
    }


def article_use_count(article: Article) -> dict[str, int]:
    """How often the article was opened from a search, used to answer, and did not help."""
    counts = dict(
        ArticleUse.objects.filter(article=article)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {kind: counts.get(kind, 0) for kind in UseKind.values}
