"""随机抽选工单点评: reproducible random draws of orders, and their review on a rubric.

A draw is a pure function of (seed, strategy, size, filters, data): the eligible orders are read in
primary-key order and sampled with ``random.Random(seed)``, so anyone can re-run a recorded draw
and get the same orders (:func:`redraw`). Who drew, when, with which seed and filters is stored on
:class:`~hotline.assessment.models.SampleDraw`.

Reviews score each sampled order on the active rubric; a review below the pass mark costs the
order's unit points in the composite score (docs/kpis.md, Deductions).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hotline import clock
from hotline.assessment.models import (
    ReviewCriterion,
    SampleDraw,
    SampleItem,
    SampleReview,
    SampleStrategy,
)
from hotline.orders.models import Satisfaction, State, WorkOrder
from hotline.orders.rules import InvalidInput, NotAllowed, held_by
from hotline.org.models import Category, Role, Unit, User

#: The largest draw one request may make: a review team cannot read more in a month.
MAX_SAMPLE = 1000
#: A draw larger than this, and larger than the number typed, is made only when confirmed: "the
#: same number from each unit" multiplies the number by the units (20 drew 478 orders in a
#: walk-through, session 24, with no way back for the supervisor).
LARGE_DRAW = 100
#: Orders in these states left the work of any unit: never drawn.
NEVER_DRAWN = (State.MERGED, State.CANCELLED)


@dataclass(frozen=True)
class SampleFilters:
    """Which orders may be drawn. Dates are local and inclusive; codes include subtrees."""

    start: dt.date | None = None
    end: dt.date | None = None
    states: tuple[str, ...] = ()
    satisfaction: tuple[str, ...] = ()
    category: str = ""
    unit: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "states": list(self.states),
            "satisfaction": list(self.satisfaction),
            "category": self.category,
            "unit": self.unit,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SampleFilters:
        def day(value: Any) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(
            start=day(data.get("from")),
            end=day(data.get("to")),
            states=tuple(data.get("states") or ()),
            satisfaction=tuple(data.get("satisfaction") or ()),
            category=data.get("category") or "",
            unit=data.get("unit") or "",
        )


def eligible(filters: SampleFilters) -> QuerySet[WorkOrder]:
    """The orders a draw with these filters chooses from: handled by a unit, in the period of
    their registration, neither merged nor cancelled."""
    for state in filters.states:
        if state not in State.values or state in NEVER_DRAWN:
            raise InvalidInput(_("%(value)r is not a state that can be drawn.") % {"value": state})
    for value in filters.satisfaction:
        if value not in Satisfaction.values:
            raise InvalidInput(_("%(value)r is not a valid choice.") % {"value": value})
    if filters.start and filters.end and filters.start > filters.end:
        raise InvalidInput(_("The period ends before it starts."))
    qs = WorkOrder.objects.filter(lead_unit__isnull=False).exclude(state__in=NEVER_DRAWN)
    if filters.start:
        qs = qs.filter(registered_at__gte=clock.start_of_day(filters.start))
    if filters.end:
        qs = qs.filter(registered_at__lt=clock.start_of_day(filters.end + dt.timedelta(days=1)))
    if filters.states:
        qs = qs.filter(state__in=filters.states)
    if filters.satisfaction:
        qs = qs.filter(satisfaction__in=filters.satisfaction)
    if filters.category:
        qs = qs.filter(category__in=_category_subtree(filters.category))
    if filters.unit:
        unit = Unit.objects.filter(code=filters.unit).first()
        if unit is None:
            raise InvalidInput(_("No unit with code %(code)s.") % {"code": filters.unit})
        # A sub-unit's sample holds the orders assigned to it inside its first-level unit too.
        qs = qs.filter(held_by(unit.subtree_ids()))
    return qs


def _category_subtree(code: str) -> set[int]:
    rows = list(Category.objects.values_list("pk", "parent_id", "code"))
    roots = [pk for pk, _parent, c in rows if c == code]
    if not roots:
        raise InvalidInput(_("No category with code %(code)s.") % {"code": code})
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id, _c in rows:
        children[parent_id].append(pk)
    found: set[int] = set()
    stack = roots
    while stack:
        pk = stack.pop()
        found.add(pk)
        stack.extend(children[pk])
    return found


def choose(
    rows: list[tuple[int, int]], *, seed: int, strategy: str, size: int
) -> list[tuple[int, int]]:
    """Pick ``(order_id, unit_id)`` rows. ``rows`` must be sorted by order id; the result depends
    on nothing but its arguments."""
    rng = random.Random(seed)
    if strategy == SampleStrategy.SIMPLE:
        return rng.sample(rows, min(size, len(rows)))
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        groups[row[1]].append(row)
    units = sorted(groups)
    if strategy == SampleStrategy.PER_UNIT:
        quota = {unit: min(size, len(groups[unit])) for unit in units}
    elif strategy == SampleStrategy.STRATIFIED:
        quota = _proportional({unit: len(groups[unit]) for unit in units}, min(size, len(rows)))
    else:
        raise InvalidInput(_("%(value)r is not a valid choice.") % {"value": strategy})
    chosen: list[tuple[int, int]] = []
    for unit in units:
        chosen.extend(rng.sample(groups[unit], quota[unit]))
    return chosen


def _proportional(sizes: dict[int, int], total: int) -> dict[int, int]:
    """Largest-remainder allocation of ``total`` over strata in proportion to their sizes (ties
    to the lower unit id), so every unit's share is its fair share rounded."""
    population = sum(sizes.values())
    if not population:
        return dict.fromkeys(sizes, 0)
    exact = {unit: total * n / population for unit, n in sizes.items()}
    quota = {unit: int(value) for unit, value in exact.items()}
    left = total - sum(quota.values())
    by_remainder = sorted(sizes, key=lambda unit: (-(exact[unit] - quota[unit]), unit))
    for unit in by_remainder[:left]:
        quota[unit] += 1
    return quota


def can_draw(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR)


def can_read(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR, Role.LEADER, Role.ADMIN)


def draw(
    by: User,
    *,
    size: int,
    strategy: str = SampleStrategy.STRATIFIED,
    filters: SampleFilters | None = None,
    seed: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    confirm_large: bool = False,
) -> SampleDraw:
    """Draw and record a sample. Without ``seed`` a fresh one is drawn and recorded. A draw of
    more orders than ``size`` and than :data:`LARGE_DRAW` is refused unless ``confirm_large``."""
    if not can_draw(by):
        raise NotAllowed(_("Only supervisors draw samples."))
    if not 1 <= size <= MAX_SAMPLE:
        raise InvalidInput(
            _("Draw between 1 and %(max)d orders.") % {"max": MAX_SAMPLE}, field="size"
        )
    if strategy not in SampleStrategy.values:
        raise InvalidInput(_("%(value)r is not a valid choice.") % {"value": strategy})
    filters = filters or SampleFilters()
    seed = secrets.randbelow(2**62) if seed is None else seed
    if not 0 <= seed < 2**63:
        raise InvalidInput(_("The seed must be a whole number from 0 to 2^63-1."), field="seed")
    rows = list(eligible(filters).order_by("pk").values_list("pk", "lead_unit_id"))
    chosen = choose(rows, seed=seed, strategy=strategy, size=size)
    if len(chosen) > max(size, LARGE_DRAW) and not confirm_large:
        units = len({unit for _order, unit in chosen})
        raise InvalidInput(
            _(
                "This draw would take %(total)d orders: %(size)d from each of %(units)d units. "
                "Tick “Draw them all” to draw them, or draw fewer."
            )
            % {"total": len(chosen), "size": size, "units": units},
            field="confirm_large",
        )
    with transaction.atomic():
        sample = SampleDraw.objects.create(
            drawn_by=by,
            drawn_at=now or clock.now(),
            seed=seed,
            strategy=strategy,
            size=size,
            filters=filters.as_dict(),
            population=len(rows),
            note=note.strip()[:200],
        )
        SampleItem.objects.bulk_create(
            SampleItem(draw=sample, order_id=order_id, unit_id=unit_id, position=position)
            for position, (order_id, unit_id) in enumerate(chosen, start=1)
        )
    return sample


def redraw(sample: SampleDraw) -> list[int]:
    """The order ids the recorded draw picks from today's data (same as drawn if nothing that
    matches its filters changed since): the reproducibility check."""
    rows = list(
        eligible(SampleFilters.from_dict(sample.filters))
        .order_by("pk")
        .values_list("pk", "lead_unit_id")
    )
    return [
        order_id
        for order_id, _unit in choose(
            rows, seed=sample.seed, strategy=sample.strategy, size=sample.size
        )
    ]


def review(
    item: SampleItem,
    reviewer: User,
    *,
    points: Mapping[int, int],
    comment: str,
    now: dt.datetime | None = None,
) -> SampleReview:
    """Score one sampled order on every active criterion and comment on it (点评). Reviewing
    again replaces the earlier review."""
    if not can_draw(reviewer):
        raise NotAllowed(_("Only supervisors review samples."))
    criteria = list(ReviewCriterion.objects.filter(active=True))
    if not criteria:
        raise InvalidInput(_("The review rubric is empty: add criteria in the admin first."))
    scores: list[dict[str, Any]] = []
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is None:
            raise InvalidInput(
                _("Score %(name)s.") % {"name": criterion.name}, field=f"c{criterion.pk}"
            )
        if not 0 <= value <= criterion.max_points:
            raise InvalidInput(
                _("%(name)s takes 0 to %(max)d points.")
                % {"name": criterion.name, "max": criterion.max_points},
                field=f"c{criterion.pk}",
            )
        scores.append({"criterion": criterion.name, "points": value, "max": criterion.max_points})
    comment = comment.strip()
    if not comment:
        raise InvalidInput(_("Write the review comment."), field="comment")
    total = sum(s["points"] for s in scores)
    maximum = sum(s["max"] for s in scores)
    score = (Decimal(100 * total) / Decimal(maximum)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    result, _created = SampleReview.objects.update_or_create(
        item=item,
        defaults={
            "reviewer": reviewer,
            "reviewed_at": now or clock.now(),
            "scores": scores,
            "score": score,
            "comment": comment,
        },
    )
    return result
