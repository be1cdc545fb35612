"""Uses of articles (the search learns from them) and the worker's review-date urging."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.kb.actions._core import apply, touch_index
from hotline.kb.models import Article, ArticleAction, ArticleState, ArticleUse, UseKind
from hotline.kb.rules import Conflict, InvalidInput, NotFound, can_view
from hotline.orders.models import WorkOrder
from hotline.org.models import User

#: Urge an article past its review date again at most this often.
URGE_EVERY = dt.timedelta(days=7)


def record_use(
    article: Article,
    user: User | None,
    kind: UseKind,
    *,
    order: WorkOrder | None = None,
    query: str = "",
    now: dt.datetime | None = None,
) -> ArticleUse:
    """Record that an article was opened from a search, used to answer an order, or did not help.

    An answer teaches the search: the order's wording becomes evidence for the article, so the
    next citizen asking the same thing in the same words finds it (the index is told to reload).
    """
    now = now or clock.now()
    if not can_view(user, article):
        raise NotFound(_("No such article."))
    if kind == UseKind.ANSWER and order is None:
        raise InvalidInput(_("An answer use needs its order."), field="order")
    with transaction.atomic():
        use = ArticleUse.objects.create(
            article=article,
            revision_id=article.published_id,
            kind=kind,
            order=order,
            query=query.strip()[:500],
            user=user,
            at=now,
        )
        if kind == UseKind.ANSWER:
            touch_index(now)
    return use


def urge_overdue_reviews(now: dt.datetime | None = None) -> int:
    """Urge every published article past its review-by date (at most once a week each).

    Called by the SLA worker; the event lands in the article's history and the unit's list of
    articles to review. Returns how many were urged.
    """
    now = now or clock.now()
    today = timezone.localtime(now).date()
    due = Article.objects.filter(state=ArticleState.PUBLISHED, review_by__lt=today).filter(
        Q(last_urged_at__isnull=True) | Q(last_urged_at__lt=now - URGE_EVERY)
    )
    urged = 0
    for article in due.only("pk", "state", "version", "unit_id", "review_by"):
        try:
            apply(
                article,
                None,
                ArticleAction.URGE,
                now=now,
                changes={"last_urged_at": now},
                payload={"review_by": article.review_by.isoformat() if article.review_by else ""},
            )
        except Conflict:  # edited meanwhile, or another worker urged it: next round decides
            continue
        urged += 1
    return urged
