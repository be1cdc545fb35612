"""Unit upkeep of the knowledge base: tasks after consultations, overdue reviews, the KPI.

- When a unit's consultation (咨询) order is closed, the worker gives the unit an
  :class:`~hotline.kb.models.UpkeepTask` (create or update an article, order linked), due
  ``KB_UPKEEP_DAYS`` days later; it is done when the unit saves an article edit from the task.
- Published articles past their review-by date are urged by the worker (once a week each) and
  listed for their unit.
- :func:`upkeep_scores` is what the assessment calls: per unit, the tasks due in a period and
  how many were done in time, the articles overdue for review at the period's end, and the
  deduction those earn (settings below; docs/kpis.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from hotline.kb.actions import urge_overdue_reviews
from hotline.kb.models import Article, ArticleState, UpkeepState, UpkeepTask
from hotline.orders.models import Kind, State, WorkOrder
from hotline.org.models import User

#: Closed consultations older than this when the worker first sees them get no task (a new
#: installation does not flood units with tasks for last year's orders).
LOOKBACK = dt.timedelta(days=30)


def _days() -> int:
    return int(getattr(settings, "KB_UPKEEP_DAYS", 5))


def create_tasks(now: dt.datetime) -> int:
    """One task per closed consultation order of a unit that has none yet; how many made."""
    orders = (
        WorkOrder.objects.filter(
            kind=Kind.CONSULTATION,
            state=State.CLOSED,
            lead_unit__isnull=False,
            closed_at__gte=now - LOOKBACK,
        )
        .exclude(pk__in=UpkeepTask.objects.values("order_id"))
        .values_list("pk", "lead_unit_id", "closed_at")[:500]
    )
    made = 0
    for order_id, unit_id, closed_at in orders:
        try:
            with transaction.atomic():
                UpkeepTask.objects.create(
                    unit_id=unit_id,
                    order_id=order_id,
                    created_at=now,
                    due_at=(closed_at or now) + dt.timedelta(days=_days()),
                )
        except IntegrityError:  # another worker made it first (one task per order)
            continue
        made += 1
    return made


STEPS: list[tuple[str, Callable[[dt.datetime], int]]] = [
    ("kb_upkeep_tasks", create_tasks),
    ("kb_review_urges", urge_overdue_reviews),
]


def open_tasks(user: User) -> QuerySet[UpkeepTask]:
    """The upkeep tasks on a unit user's inbox (their unit and the units below it)."""
    from hotline.orders.rules import unit_scope

    return UpkeepTask.objects.filter(
        unit__in=unit_scope(user), state=UpkeepState.OPEN
    ).select_related("order", "unit")


def overdue_reviews(unit_ids: set[int] | None, today: dt.date) -> QuerySet[Article]:
    """Published articles past their review-by date (of ``unit_ids``; ``None``: every unit)."""
    qs = Article.objects.filter(state=ArticleState.PUBLISHED, review_by__lt=today)
    if unit_ids is not None:
        qs = qs.filter(unit__in=unit_ids)
    return qs.select_related("unit").order_by("review_by")


@dataclass(frozen=True)
class UpkeepScore:
    """One unit's knowledge-base upkeep in a period."""

    tasks_due: int
    tasks_done_in_time: int
    overdue_articles: int
    deduction: float

    @property
    def task_rate(self) -> float | None:
        return self.tasks_done_in_time / self.tasks_due if self.tasks_due else None


def upkeep_scores(start: dt.datetime, end: dt.datetime) -> dict[int, UpkeepScore]:
    """Per unit id: upkeep tasks due in [start, end) and done by their due time, published
    articles past their review date at ``end``, and the deduction (points, ≥ 0, capped):
    ``KB_UPKEEP_TASK_DEDUCTION`` per task not done in time plus ``KB_REVIEW_DEDUCTION`` per
    overdue article, at most ``KB_UPKEEP_MAX_DEDUCTION``. Units with neither are left out."""
    per_task = float(getattr(settings, "KB_UPKEEP_TASK_DEDUCTION", 0.5))
    per_article = float(getattr(settings, "KB_REVIEW_DEDUCTION", 0.2))
    cap = float(getattr(settings, "KB_UPKEEP_MAX_DEDUCTION", 3.0))
    due: dict[int, int] = defaultdict(int)
    in_time: dict[int, int] = defaultdict(int)
    tasks = UpkeepTask.objects.filter(due_at__gte=start, due_at__lt=end).values_list(
        "unit_id", "done_at", "due_at"
    )
    for unit_id, done_at, due_at in tasks:
        due[unit_id] += 1
        if done_at is not None and done_at <= due_at:
            in_time[unit_id] += 1
    today = timezone.localtime(end).date()
    overdue: dict[int, int] = defaultdict(int)
    for unit_id in (
        overdue_reviews(None, today).filter(~Q(review_by=None)).values_list("unit_id", flat=True)
    ):
        overdue[unit_id] += 1
    out = {}
    for unit_id in set(due) | set(overdue):
        missed = due[unit_id] - in_time[unit_id]
        deduction = min(cap, missed * per_task + overdue[unit_id] * per_article)
        out[unit_id] = UpkeepScore(due[unit_id], in_time[unit_id], overdue[unit_id], deduction)
    return out
