"""Unit KPIs for a period, computed from the event log only (definitions: docs/kpis.md).

Two aggregate queries over ``orders_event`` (one grouped by the event's unit, one grouped by the
unit that returned an order), the handling rounds of the deadline-based KPIs (:mod:`rounds`), the
unit table and the settings row: the number of queries does not grow with units or orders. Every
figure is a count of events or rounds attributed to one unit, so a parent unit's figures are the
sums of its own and its descendants' (a street includes its neighbourhood committees), every
numerator is a subset of its denominator, and every cell can be drilled down to its orders
(:func:`order_ids`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hotline import clock
from hotline.assessment import rounds as handling
from hotline.assessment.models import KpiSettings, SampleReview
from hotline.kb.upkeep import upkeep_scores
from hotline.orders.models import Action, Event, Satisfaction, State, WorkOrder
from hotline.org.models import Unit, UnitKind

if TYPE_CHECKING:
    from hotline.assessment.hall import HallFigures

#: Events that hand an order to a unit: the unit's volume.
RECEIPTS = handling.RECEIPTS

#: KPI names, as used in exclusions, drill-down and the JSON output.
VOLUME = "volume"
SIGN_FOR = "sign_for"
FIRST_CONTACT = "first_contact"
ON_TIME_REPLY = "on_time_reply"
RESOLUTION = "resolution"
SATISFACTION = "satisfaction"
SATISFACTION_SCORE = "satisfaction_score"
REOPEN = "reopen"
RETURN = "return"
OVERDUE = "overdue"
UNREACHABLE = "unreachable"
KPI_NAMES = (
    VOLUME,
    SIGN_FOR,
    FIRST_CONTACT,
    ON_TIME_REPLY,
    RESOLUTION,
    SATISFACTION,
    SATISFACTION_SCORE,
    REOPEN,
    RETURN,
    OVERDUE,
    UNREACHABLE,
)
#: KPIs counted over handling rounds (their deadline's period), not over events.
ROUND_KPIS = (FIRST_CONTACT, ON_TIME_REPLY)
#: What each KPI is called on pages and in reports (the 中文 names are the hotline's own).
LABELS: dict[str, Any] = {
    VOLUME: _("Volume"),
    SIGN_FOR: _("Sign-for on-time rate"),
    FIRST_CONTACT: _("First-contact rate"),
    ON_TIME_REPLY: _("On-time reply rate"),
    RESOLUTION: _("Resolution rate"),
    SATISFACTION: _("Satisfaction rate"),
    SATISFACTION_SCORE: _("Satisfaction score"),
    REOPEN: _("Reopen rate"),
    RETURN: _("Return rate"),
    OVERDUE: _("Overdue"),
    UNREACHABLE: _("Unreachable at callback"),
}
#: Rates where less is better: the composite score uses 100 minus the rate.
LOWER_IS_BETTER = frozenset({REOPEN, RETURN})
#: KPIs a unit may appeal an order's outcome on (申诉). An approved appeal on satisfaction takes
#: the callback out of both the rate and the score: both come from the same verdict.
APPEALABLE = (
    SIGN_FOR,
    FIRST_CONTACT,
    ON_TIME_REPLY,
    RESOLUTION,
    SATISFACTION,
    REOPEN,
    RETURN,
    OVERDUE,
)
APPEAL_ALSO_EXCLUDES = {SATISFACTION: (SATISFACTION_SCORE,)}

#: ``(order_id, kpi)`` pairs left out of one KPI, e.g. approved appeals (申诉).
Exclusions = Iterable[tuple[int, str]]

Part = Literal["numerator", "denominator"]


@dataclass(frozen=True)
class Ratio:
    """A numerator over a denominator; ``value`` is ``scale × numerator / denominator``."""

    numerator: int
    denominator: int
    scale: int = 100

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return round(self.scale * self.numerator / self.denominator, 2)

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(
            self.numerator + other.numerator, self.denominator + other.denominator, self.scale
        )

    def as_dict(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}


@dataclass
class UnitKpis:
    """One unit's figures for the period, its descendants' included."""

    unit_id: int
    code: str
    name: str
    kind: str
    peer_group: str
    parent_code: str | None
    volume: int = 0
    overdue: int = 0
    supervisions: int = 0
    sampling_failed: int = 0
    #: Knowledge-base upkeep points (hotline.kb.upkeep), own and descendants', before the factor.
    kb_upkeep: float = 0.0
    ratios: dict[str, Ratio] = field(default_factory=dict)
    base_score: float | None = None
    deduction: float = 0.0
    score: float | None = None
    rank: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.code,
            "name": self.name,
            "kind": self.kind,
            "peer_group": self.peer_group,
            "parent": self.parent_code,
            "volume": self.volume,
            "overdue": self.overdue,
            **{name: ratio.as_dict() for name, ratio in self.ratios.items()},
            "supervisions": self.supervisions,
            "sampling_failed": self.sampling_failed,
            "kb_upkeep": self.kb_upkeep,
            "base_score": self.base_score,
            "deduction": self.deduction,
            "score": self.score,
            "rank": self.rank,
        }


@dataclass
class KpiReport:
    start: dt.datetime
    end: dt.datetime
    units: list[UnitKpis]

    def unit(self, code: str) -> UnitKpis:
        return next(u for u in self.units if u.code == code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "units": [u.as_dict() for u in self.units],
        }


# --- The definitions: one Q per numerator and denominator, shared by compute() and order_ids().

_ACCEPT_ON_TIME = Q(payload__on_time=True) | (
    # Accept events written before they carried "on_time": judge by the order's sign-for deadline.
    # A correlated subquery, not a join: it only runs for those old events, and a join would hash
    # the whole order table for every computation.
    ~Q(payload__has_key="on_time")
    & Exists(
        WorkOrder.objects.filter(pk=OuterRef("order_id")).filter(
            Q(accept_due__isnull=True) | Q(accept_due__gte=OuterRef("at"))
        )
    )
)

#: Who held the order when the event before this one was written: every event records the
#: sub-unit holding the order after it, and the order's version moves by one per event, so the
#: event ``seq - 1`` is the one just before (a unique-index look-up).
_HELD_BEFORE = Subquery(
    Event.objects.filter(order_id=OuterRef("order_id"), seq=OuterRef("seq") - 1).values(
        "assigned_unit_id"
    )[:1]
)
#: The unit an event counts for: the sub-unit holding the order (二级派单), else the lead unit.
#: The SLA worker's overdue marks named no sub-unit until 3e258af; such a mark (events are not
#: rewritten) counts for the sub-unit that held the order when it was marked, read from the
#: event before it — the worker's conditional update on the version lets no event in between.
#: A mark while the lead unit held the order finds none there either, as it should.
HOLDER = Coalesce(
    "assigned_unit_id",
    Case(When(action=Action.OVERDUE, then=_HELD_BEFORE)),
    "unit_id",
    output_field=BigIntegerField(),
)
_CALLBACK = Q(action=Action.CALLBACK)
#: The actions that can move an order into ``closed`` (named, so the query uses the action index).
_CLOSING = (Action.CALLBACK, Action.CLOSE, Action.CLOSE_UNREACHABLE)
_INTO_CLOSED = Q(action__in=_CLOSING, to_state=State.CLOSED) & ~Q(from_state=State.CLOSED)


def _satisfied(settings: KpiSettings) -> Q:
    verdicts = [Satisfaction.SATISFIED]
    if settings.basically_satisfied_counts:
        verdicts.append(Satisfaction.BASICALLY_SATISFIED)
    return Q(payload__satisfaction__in=verdicts)


def definitions(settings: KpiSettings) -> dict[str, tuple[Q, Q]]:
    """KPI → (numerator, denominator) over events attributed by ``HOLDER`` (the sub-unit holding
    the order, else ``Event.unit``, the lead unit; rolled up the unit tree). ``return`` is
    attributed to the returning unit and counted separately; the round KPIs (first contact,
    on-time reply) are not here (:mod:`hotline.assessment.rounds`)."""
    return {
        VOLUME: (Q(action__in=RECEIPTS), Q(action__in=RECEIPTS)),
        SIGN_FOR: (Q(action=Action.ACCEPT) & Q(_ACCEPT_ON_TIME), Q(action=Action.ACCEPT)),
        # A reached callback's verdict; unreachable orders (close_unreachable) have none.
        RESOLUTION: (_CALLBACK & Q(payload__resolved=True), _CALLBACK),
        SATISFACTION: (_CALLBACK & _satisfied(settings), _CALLBACK),
        SATISFACTION_SCORE: (_CALLBACK, _CALLBACK),
        # A round's conclusion: into reopened, or into closed (callback, close, unreachable).
        REOPEN: (handling.INTO_REOPENED, handling.INTO_REOPENED | _INTO_CLOSED),
        RETURN: (Q(action=Action.APPROVE_RETURN), Q(action__in=RECEIPTS)),
        OVERDUE: (Q(action=Action.OVERDUE), Q(action=Action.OVERDUE)),
        UNREACHABLE: (
            Q(action=Action.CLOSE_UNREACHABLE),
            Q(action__in=[Action.CALLBACK, Action.CLOSE_UNREACHABLE]),
        ),
    }


#: The events the grouped aggregate reads (anything else in the log is skipped by the index).
_RELEVANT = Q(
    action__in=[
        *RECEIPTS,
        *handling.REOPENING,
        *_CLOSING,
        Action.ACCEPT,
        Action.OVERDUE,
        Action.SUPERVISE,
    ]
)


def negative_kpis(order: WorkOrder) -> list[str]:
    """The appealable KPIs this order counts against: one aggregate query over its events, and
    its handling rounds whose deadline has passed."""
    settings = KpiSettings.current()
    defined = definitions(settings)
    negative: dict[str, Q] = {
        SIGN_FOR: defined[SIGN_FOR][1] & ~defined[SIGN_FOR][0],
        RESOLUTION: defined[RESOLUTION][1] & ~defined[RESOLUTION][0],
        # Anything short of 满意 costs the score, even where 基本满意 counts in the rate.
        SATISFACTION: _CALLBACK & ~Q(payload__satisfaction=Satisfaction.SATISFIED),
        **{name: defined[name][0] for name in (REOPEN, RETURN, OVERDUE)},
    }
    counts = Event.objects.filter(order=order).aggregate(
        **{name: Count("id", filter=q) for name, q in negative.items()}
    )
    # Every round of the order, judged as the month of its deadline will judge it.
    now = clock.now()
    since = order.registered_at - handling.LOOKBACK
    for round_ in handling.rounds(since, now, order_ids=[order.pk]):
        for name in ROUND_KPIS:
            if _round_counts(round_, name, since, now) and not _round_met(round_, name):
                counts[name] = 1
    return [name for name in APPEALABLE if counts.get(name)]


def appeal_decided(order: WorkOrder, kpi: str) -> bool:
    """Whether an appeal on ``kpi`` was already approved for this order."""
    return Event.objects.filter(
        order=order, action=Action.APPROVE_APPEAL, payload__kpi=kpi
    ).exists()


def approved_exclusions() -> list[tuple[int, str]]:
    """``(order_id, kpi)`` for every approved appeal, read from the event log (one query)."""
    pairs = []
    for order_id, kpi in Event.objects.filter(action=Action.APPROVE_APPEAL).values_list(
        "order_id", "payload__kpi"
    ):
        pairs.append((order_id, kpi))
        pairs.extend((order_id, other) for other in APPEAL_ALSO_EXCLUDES.get(kpi, ()))
    return pairs


def _in_period(start: dt.datetime, end: dt.datetime) -> Q:
    """Events in ``[start, end)`` of orders not merged or cancelled before ``end``."""
    gone = Event.objects.filter(
        order_id=OuterRef("order_id"),
        to_state__in=[State.MERGED, State.CANCELLED],
        at__lt=end,
    )
    return Q(at__gte=start, at__lt=end) & ~Q(Exists(gone))


def _excluded(exclusions: Exclusions) -> dict[str, set[int]]:
    by_kpi: dict[str, set[int]] = defaultdict(set)
    for order_id, kpi in exclusions:
        if kpi not in KPI_NAMES:
            raise ValueError(f"unknown KPI {kpi!r}")
        by_kpi[kpi].add(order_id)
    return by_kpi


def _without(q: Q, order_ids: Collection[int]) -> Q:
    return q & ~Q(order_id__in=order_ids) if order_ids else q


def _satisfaction_points(settings: KpiSettings) -> Case:
    return Case(
        When(payload__satisfaction=Satisfaction.SATISFIED, then=Value(settings.score_satisfied)),
        When(
            payload__satisfaction=Satisfaction.BASICALLY_SATISFIED,
            then=Value(settings.score_basically_satisfied),
        ),
        default=Value(settings.score_dissatisfied),
    )


def compute(
    start: dt.datetime,
    end: dt.datetime,
    *,
    exclusions: Exclusions | None = None,
    settings: KpiSettings | None = None,
    halls: HallFigures | None = None,
    centres: bool = True,
) -> KpiReport:
    """Every unit's KPIs for events in ``[start, end)``, rolled up the unit tree and ranked.

    ``exclusions`` defaults to the approved appeals (:func:`approved_exclusions`). ``halls``: the
    halls' figures for the period when the caller has read them already (the dashboard); with
    ``centres=False`` the service centres' hall rates, score and rank are left out (only the
    hotline figures, e.g. the district totals of a trend point, which they do not change).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # PostgreSQL's JIT spends longer compiling this one aggregate than running it
            # (measured: 180 of 390 ms on 100k orders); off for this transaction only. The
            # handling rounds sort the period's events by order (rounds.populations): in memory,
            # not in temporary files (4 MB spilled at 100,000 orders, 40 at a million).
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"
                )
        return _compute(
            start, end, exclusions=exclusions, settings=settings, halls=halls, centres=centres
        )


def _compute(
    start: dt.datetime,
    end: dt.datetime,
    *,
    exclusions: Exclusions | None,
    settings: KpiSettings | None,
    halls: HallFigures | None = None,
    centres: bool = True,
) -> KpiReport:
    settings = settings or KpiSettings.current()
    excluded = _excluded(approved_exclusions() if exclusions is None else exclusions)
    units = list(Unit.objects.exclude(kind=UnitKind.HOTLINE_CENTRE).order_by("sort_order", "code"))
    own: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    defined = definitions(settings)
    aggregates: dict[str, Any] = {}
    for name, (numerator, denominator) in defined.items():
        if name == RETURN:
            continue
        ids = excluded.get(name, set())
        aggregates[f"{name}_den"] = Count("id", filter=_without(denominator, ids))
        if name == SATISFACTION_SCORE:
            aggregates[f"{name}_num"] = Sum(
                _satisfaction_points(settings), filter=_without(numerator, ids), default=0
            )
        else:
            aggregates[f"{name}_num"] = Count("id", filter=_without(numerator, ids))
    aggregates["supervisions"] = Count("id", filter=Q(action=Action.SUPERVISE))
    rows = (
        Event.objects.filter(_in_period(start, end))
        .filter(_RELEVANT)
        .exclude(unit__isnull=True)
        .order_by()
        # 二级派单: an event counts for the sub-unit holding the order, rolled up to the lead unit.
        .annotate(holder=HOLDER)
        .values("holder")
        .annotate(**aggregates)
    )
    for row in rows:
        counts = own[row.pop("holder")]
        for key, value in row.items():
            counts[key] += value or 0

    # A return counts against the unit that gave the order back, named in the event's payload.
    code_to_id = {u.code: u.pk for u in units}
    returns = (
        Event.objects.filter(
            _without(_in_period(start, end), excluded.get(RETURN, set())),
            action=Action.APPROVE_RETURN,
        )
        .order_by()
        .values("payload__returned_by")
        .annotate(n=Count("id"))
    )
    for row in returns:
        unit_id = code_to_id.get(row["payload__returned_by"])
        if unit_id is not None:
            own[unit_id]["return_num"] += row["n"]
    receipts_ids = excluded.get(RETURN, set())
    if receipts_ids == excluded.get(VOLUME, set()):
        for counts in own.values():
            counts["return_den"] = counts["volume_den"]
    else:
        # Rare (an appeal on one but not the other): one more grouped query for the denominator.
        for row in (
            Event.objects.filter(_without(_in_period(start, end), receipts_ids))
            .filter(action__in=RECEIPTS)
            .exclude(unit__isnull=True)
            .order_by()
            .values("unit_id")
            .annotate(n=Count("id"))
        ):
            own[row["unit_id"]]["return_den"] = row["n"]

    # First contact and on-time reply: rounds whose deadline fell in the period.
    for _order_id, unit_id, name, met in _round_cells(start, end, excluded):
        counts = own[unit_id]
        counts[f"{name}_den"] += 1
        counts[f"{name}_num"] += met

    # Sampling reviews below the pass mark, by the unit the order was drawn for.
    for row in (
        SampleReview.objects.filter(
            reviewed_at__gte=start,
            reviewed_at__lt=end,
            score__lt=settings.sampling_pass_score,
            item__unit__isnull=False,
        )
        .order_by()
        .values("item__unit_id")
        .annotate(n=Count("id"))
    ):
        own[row["item__unit_id"]]["sampling_failed"] += row["n"]

    # Knowledge-base upkeep (docs/kpis.md), per unit and capped there; kept in hundredths of a
    # point so the roll-up stays integer sums like every other count.
    if settings.kb_upkeep_factor:
        for unit_id, upkeep in upkeep_scores(start, end).items():
            own[unit_id]["kb_upkeep_cents"] += round(upkeep.deduction * 100)

    totals = _roll_up(units, own)
    by_id = {u.pk: u for u in units}
    result = []
    for unit in units:
        counts = totals[unit.pk]
        parent = by_id.get(unit.parent_id) if unit.parent_id else None
        kpis = UnitKpis(
            unit_id=unit.pk,
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            peer_group=unit.peer_group,
            parent_code=parent.code if parent else None,
            volume=counts["volume_den"],
            overdue=counts["overdue_den"],
            supervisions=counts["supervisions"],
            sampling_failed=counts["sampling_failed"],
            kb_upkeep=counts["kb_upkeep_cents"] / 100,
        )
        for name in KPI_NAMES:
            if name in (VOLUME, OVERDUE):
                continue
            kpis.ratios[name] = Ratio(
                counts[f"{name}_num"],
                counts[f"{name}_den"],
                scale=1 if name == SATISFACTION_SCORE else 100,
            )
        kpis.base_score = composite_score(kpis, settings)
        kpis.deduction = round(
            float(
                kpis.supervisions * settings.supervision_deduction
                + kpis.sampling_failed * settings.sampling_deduction
                + Decimal(str(kpis.kb_upkeep)) * settings.kb_upkeep_factor
            ),
            2,
        )
        if kpis.base_score is not None:
            kpis.score = round(max(0.0, kpis.base_score - kpis.deduction), 2)
        result.append(kpis)
    _rank(result, settings.minimum_volume)
    report = KpiReport(start=start, end=end, units=result)
    # Service centres are scored on their halls and ranked among themselves (docs/kpis.md); the
    # import is here because that module builds on this one.
    if centres:
        from hotline.assessment import hall

        hall.enter(report, settings, halls)
    return report


def _round_cells(
    start: dt.datetime, end: dt.datetime, excluded: dict[str, set[int]]
) -> Iterable[tuple[int, int, str, bool]]:
    """``(order_id, unit_id, kpi, met)`` for each round in a round KPI's population for the
    period (:func:`hotline.assessment.rounds.populations`)."""
    for counted in handling.populations(start, end):
        name = _ROUND_KPI[counted.kpi]
        if counted.order_id not in excluded.get(name, ()):
            yield counted.order_id, counted.unit_id, name, counted.met


_ROUND_KPI = {handling.CONTACT: FIRST_CONTACT, handling.REPLY: ON_TIME_REPLY}


def _round_counts(round_: handling.Round, name: str, start: dt.datetime, end: dt.datetime) -> bool:
    if name == FIRST_CONTACT:
        return handling.contact_counts(round_, start, end)
    return handling.reply_counts(round_, start, end)


def _round_met(round_: handling.Round, name: str) -> bool:
    if name == FIRST_CONTACT:
        return round_.contacted_on_time
    return bool(round_.replied_on_time)


def _roll_up(units: list[Unit], own: dict[int, dict[str, int]]) -> dict[int, defaultdict[str, int]]:
    """Each unit's counts plus all its descendants'."""
    parent_of = {u.pk: u.parent_id for u in units}
    totals: dict[int, defaultdict[str, int]] = {u.pk: defaultdict(int) for u in units}
    for unit_id, counts in own.items():
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current in totals and current not in seen:
            seen.add(current)
            for key, value in counts.items():
                totals[current][key] += value
            current = parent_of.get(current)
    return totals


def composite_score(
    kpis: UnitKpis, settings: KpiSettings, weights: dict[str, int] | None = None
) -> float | None:
    """Weighted mean of the rates the unit has figures for (docs/kpis.md, Composite score):
    Σ wₖ·vₖ / Σ wₖ over the KPIs with a rate and a weight, a lower-is-better rate counted as
    100 minus it. ``weights`` defaults to the hotline KPI weights; service centres pass theirs
    with the hall weights added (:mod:`hotline.assessment.hall`)."""
    weighted = 0.0
    total = 0
    for name, weight in (settings.weights() if weights is None else weights).items():
        ratio = kpis.ratios.get(name)
        if ratio is None or ratio.value is None or not weight:
            continue
        value = ratio.value
        weighted += weight * (100 - value if name in LOWER_IS_BETTER else value)
        total += weight
    return round(weighted / total, 2) if total else None


def _rank(units: list[UnitKpis], minimum_volume: int) -> None:
    """Competition ranking (1, 1, 3) by score within each peer group, among units with enough
    volume; the others keep ``rank = None``."""
    groups: dict[str, list[UnitKpis]] = defaultdict(list)
    for unit in units:
        if unit.peer_group and unit.score is not None and unit.volume >= minimum_volume:
            groups[unit.peer_group].append(unit)
    for members in groups.values():
        members.sort(key=lambda u: -(u.score or 0.0))
        for position, unit in enumerate(members, start=1):
            previous = members[position - 2] if position > 1 else None
            unit.rank = previous.rank if previous and previous.score == unit.score else position


def order_ids(
    kpi: str,
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    *,
    part: Part = "numerator",
    exclusions: Exclusions | None = None,
) -> list[int]:
    """The orders behind one cell of the report (the unit and its descendants), for drill-down.
    ``exclusions`` defaults to the approved appeals, as in :func:`compute`."""
    if kpi not in KPI_NAMES:
        raise ValueError(f"unknown KPI {kpi!r}")
    subtree = unit.subtree_ids()
    excluded = _excluded(approved_exclusions() if exclusions is None else exclusions)
    if kpi in ROUND_KPIS:
        return sorted(
            {
                order_id
                for order_id, unit_id, name, met in _round_cells(start, end, excluded)
                if name == kpi and unit_id in subtree and (part == "denominator" or met)
            }
        )
    numerator, denominator = definitions(KpiSettings.current())[kpi]
    units = Unit.objects.filter(pk__in=subtree)
    q = _without(
        _in_period(start, end) & (numerator if part == "numerator" else denominator),
        excluded.get(kpi, set()),
    )
    if kpi == RETURN and part == "numerator":
        q &= Q(payload__returned_by__in=list(units.values_list("code", flat=True)))
    elif kpi == OVERDUE:
        # Counted for the holder as compute() counts it (old marks name no sub-unit: HOLDER).
        events = Event.objects.filter(q).annotate(holder=HOLDER).filter(holder__in=subtree)
        return sorted(set(events.values_list("order_id", flat=True)))
    else:
        q &= Q(assigned_unit__in=units) | Q(assigned_unit__isnull=True, unit__in=units)
    return sorted(set(Event.objects.filter(q).values_list("order_id", flat=True)))
