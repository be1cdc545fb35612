"""Cases (办件) and 好差评 in the assessment: for a period, per hall, matter or handling unit, the
case on-time rate, the 一次办 rate and average trips, the 好差评 distribution and 好评 rate, the
差评 rectified on time and the use of online pre-review (docs/kpis.md, Cases and ratings).

- **Case on-time rate** (办件按时办结率): cases whose promised date (``Case.due_at``, moved by
  every paused working hour of a 补正 or 特别程序) fell in the period and that were concluded (办结,
  approved or refused) by then, over those cases that are concluded or whose promise has passed
  at ``now``. Cases not accepted (不予受理) promise nothing, nor do those withdrawn when their
  ticket moved to another matter; a case whose clock is paused at
  ``now`` (补正, 特别程序) has no final promised date yet and waits for a later count.
- **一次办 rate** (最多跑一次) and **average trips**: over the cases concluded or not accepted in
  the period, their visits measured from the events (:mod:`hotline.cases.trips`), a pick-up
  counted once it happened.
- **好评 rate** and the distribution: the ratings given in the period, less those excluded by an
  approved appeal (:mod:`hotline.ratings.figures`).
- **差评 rectified on time**: the period's counted 差评 whose rectification order was replied by
  its deadline in force, over those replied or past that deadline at ``now``.
- **Pre-review use**: the share of the cases opened in the period that are linked to a passed
  online pre-review (as :mod:`hotline.prereview.figures` counts them; shown, not weighted),
  beside the pre-review links texted from 12345 in the period and the pre-reviews filed in the
  period from such a link (a link texted late in a month may be used in the next).

Every numerator is a subset of its denominator. A rate with an empty denominator is ``None`` and
leaves the composite as any missing KPI does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hotline import clock
from hotline.assessment.kpis import Ratio
from hotline.assistance.models import Assistance
from hotline.assistance.models import Kind as AssistKind
from hotline.cases import trips
from hotline.cases.models import Case, CaseAction, CaseEvent, CaseState
from hotline.hall.models import Hall
from hotline.matters.models import Matter
from hotline.prereview.models import PreReview, PreReviewInvitation, PreReviewState
from hotline.ratings import figures as rating_figures
from hotline.ratings.models import BAD_LEVELS, Level, Rating

CASE_ON_TIME = "hall_case_on_time"
ONE_VISIT = "hall_one_visit"
GOOD_RATING = "hall_good_rating"
RECTIFIED_ON_TIME = "hall_rectified_on_time"
PREREVIEW_USE = "hall_prereview_use"
#: The rates that enter a service centre's composite (weights in KpiSettings).
CASE_KPIS = (CASE_ON_TIME, ONE_VISIT, GOOD_RATING, RECTIFIED_ON_TIME)
LABELS: dict[str, Any] = {
    CASE_ON_TIME: _("Cases concluded on time"),
    ONE_VISIT: _("Cases done in one visit"),
    GOOD_RATING: _("Good ratings"),
    RECTIFIED_ON_TIME: _("Bad ratings rectified on time"),
    PREREVIEW_USE: _("Cases pre-reviewed online"),
}

#: What the figures are grouped by: a hall, a matter, or the unit that handles the matter (the
#: hall's centre for a matter without one), as :data:`hotline.cases.trips.BY`.
GROUPINGS = ("hall", "matter", "unit")

#: Concluding steps: a case counted on time was decided (办结) by its promised date.
_DECIDED = (CaseAction.CONCLUDE,)
#: Steps that finish a case for the 一次办 count.
_FINISHING = (CaseAction.CONCLUDE, CaseAction.REFUSE)
#: A case in these states at ``now`` has no final promised date (its clock is paused).
_PAUSED = (CaseState.CORRECTION, CaseState.SPECIAL)


@dataclass
class CaseFigures:
    """One group's case and rating figures for a period."""

    key: str
    name: str
    due: int = 0
    on_time: int = 0
    finished: int = 0
    one_visit: int = 0
    visits: int = 0
    extra_causes: dict[str, int] = field(default_factory=dict)
    levels: dict[int, int] = field(default_factory=lambda: {level.value: 0 for level in Level})
    rectification_due: int = 0
    rectified_on_time: int = 0
    rectification_pending: int = 0
    opened: int = 0
    prereviewed: int = 0
    invited: int = 0  # pre-review links texted from 12345
    from_hotline: int = 0  # pre-reviews filed from a 12345 link
    helped: int = 0  # 帮办 started in the period (by hall only)
    proxied: int = 0  # 代办 taken on in the period (by hall only)

    @property
    def rated(self) -> int:
        return sum(self.levels.values())

    @property
    def good(self) -> int:
        return sum(n for level, n in self.levels.items() if level not in BAD_LEVELS)

    @property
    def bad(self) -> int:
        return self.rated - self.good

    @property
    def mean_trips(self) -> float | None:
        return round(self.visits / self.finished, 2) if self.finished else None

    @property
    def ratios(self) -> dict[str, Ratio]:
        return {
            CASE_ON_TIME: Ratio(self.on_time, self.due),
            ONE_VISIT: Ratio(self.one_visit, self.finished),
            GOOD_RATING: Ratio(self.good, self.rated),
            RECTIFIED_ON_TIME: Ratio(self.rectified_on_time, self.rectification_due),
            PREREVIEW_USE: Ratio(self.prereviewed, self.opened),
        }


#: A hall's or a matter's group: (code, name).
Group = tuple[str, str]


@dataclass(frozen=True)
class _Groups:
    """Every hall's and matter's groups, read once (two small tables): a period's cases, ratings
    and pre-reviews are then read as plain rows (``hall_id``, ``matter_id`` and what is counted),
    not as model instances joined to four others, which was most of the figures' time
    (session 29: the dashboard's running month, the report)."""

    halls: dict[int, tuple[Group, Group]]  # hall id → (hall, its centre unit)
    matters: dict[int, tuple[Group, Group | None]]  # matter id → (matter, its handling unit)

    @classmethod
    def read(cls) -> _Groups:
        return cls(
            {
                pk: ((code, unit_name), (unit_code, unit_name))
                for pk, code, unit_code, unit_name in Hall.objects.values_list(
                    "pk", "code", "unit__code", "unit__name"
                )
            },
            {
                pk: ((code, name), (unit_code, unit_name) if unit_code is not None else None)
                for pk, code, name, unit_code, unit_name in Matter.objects.values_list(
                    "pk", "code", "name", "unit__code", "unit__name"
                )
            },
        )

    def key(self, by: str) -> Callable[[Any], Group]:
        """The group of a row with a ``hall_id`` and a ``matter_id``: (code, name)."""
        if by == "hall":
            return lambda row: self.halls[row.hall_id][0]
        if by == "matter":
            return lambda row: self.matters[row.matter_id][0]
        if by == "unit":
            # The unit that handles the matter; the hall's centre for a matter without one.
            return lambda row: self.matters[row.matter_id][1] or self.halls[row.hall_id][1]
        raise ValueError(f"unknown grouping {by!r}")


def figures(
    start: dt.datetime,
    end: dt.datetime,
    *,
    by: str = "hall",
    hall_ids: set[int] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, CaseFigures]:
    """The figures of ``[start, end)`` grouped ``by`` hall, matter or unit, keyed by its code
    (only groups with something to count). ``now`` decides what is due (default: the clock)."""
    return grouped(start, end, groupings=(by,), hall_ids=hall_ids, now=now)[by]


def grouped(
    start: dt.datetime,
    end: dt.datetime,
    *,
    groupings: Sequence[str],
    hall_ids: set[int] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, dict[str, CaseFigures]]:
    """:func:`figures` for several groupings at once, each as :func:`figures` gives it: the
    period's cases, ratings and pre-reviews are read once for all of them (the monthly report
    groups them by hall, matter and unit; reading them three times was most of its time,
    walk-through, session 28, h8 F3)."""
    now = now or clock.now()
    known = _Groups.read()
    keys = {by: known.key(by) for by in groupings}
    tables: dict[str, dict[str, CaseFigures]] = {by: {} for by in groupings}

    def one(by: str, row: Any) -> CaseFigures:
        code, name = keys[by](row)
        found = tables[by].get(code)
        if found is None:
            found = tables[by][code] = CaseFigures(code, name)
        return found

    def group(row: Any) -> list[CaseFigures]:
        return [one(by, row) for by in groupings]

    cases = Case.objects.all()
    ratings = Rating.objects.all()
    if hall_ids is not None:
        cases = cases.filter(hall_id__in=hall_ids)
        ratings = ratings.filter(hall_id__in=hall_ids)
    _on_time(cases, start, end, now, group)
    _one_visit(cases, start, end, group)
    _ratings(ratings.filter(rated_at__gte=start, rated_at__lt=end), now, group)
    opened = cases.filter(opened_at__gte=start, opened_at__lt=end)
    _prereviews(opened.exclude(state=CaseState.WITHDRAWN), group)
    invitations = PreReviewInvitation.objects.all()
    filed = PreReview.objects.filter(invitation__isnull=False)
    if hall_ids is not None:
        invitations = invitations.filter(hall_id__in=hall_ids)
        filed = filed.filter(hall_id__in=hall_ids)
    for invitation in _rows(invitations.filter(sent_at__gte=start, sent_at__lt=end)):
        for figures_ in group(invitation):
            figures_.invited += 1
    for review in _rows(filed.filter(submitted_at__gte=start, submitted_at__lt=end)):
        for figures_ in group(review):
            figures_.from_hotline += 1
    if "hall" in groupings:  # a 帮办 may cover several matters: counted per hall only
        _assisted(start, end, hall_ids, lambda row: [one("hall", row)])
    return {by: dict(sorted(table.items())) for by, table in tables.items()}


def _rows(rows: QuerySet[Any], *fields: str) -> Iterable[Any]:
    """``rows`` as named tuples of their ``pk``, ``hall_id``, ``matter_id`` and ``fields``."""
    return rows.values_list("pk", "hall_id", "matter_id", *fields, named=True).order_by()


def _assisted(
    start: dt.datetime,
    end: dt.datetime,
    hall_ids: set[int] | None,
    group: Callable[[Any], list[CaseFigures]],
) -> None:
    """The 帮办 and 代办 records started in the period, per hall."""
    records = Assistance.objects.filter(started_at__gte=start, started_at__lt=end)
    if hall_ids is not None:
        records = records.filter(hall_id__in=hall_ids)
    for record in records.values_list("hall_id", "kind", named=True).order_by():
        for figures_ in group(record):
            if record.kind == AssistKind.HELP:
                figures_.helped += 1
            else:
                figures_.proxied += 1


def _on_time(
    cases: QuerySet[Case],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    group: Callable[[Any], list[CaseFigures]],
) -> None:
    due = list(
        _rows(
            cases.filter(due_at__gte=start, due_at__lt=end)
            .exclude(state__in=[CaseState.REFUSED, CaseState.WITHDRAWN, *_PAUSED])
            .filter(Q(state__in=[CaseState.CONCLUDED, CaseState.DELIVERED]) | Q(due_at__lte=now)),
            "due_at",
        )
    )
    decided = dict(
        CaseEvent.objects.filter(case_id__in=[c.pk for c in due], action__in=_DECIDED)
        .values_list("case_id")
        .annotate(at=Min("at"))
        .order_by()
    )
    for case in due:
        at = decided.get(case.pk)
        on_time = at is not None and case.due_at is not None and at <= case.due_at
        for figures_ in group(case):
            figures_.due += 1
            figures_.on_time += on_time


def _one_visit(
    cases: QuerySet[Case],
    start: dt.datetime,
    end: dt.datetime,
    group: Callable[[Any], list[CaseFigures]],
) -> None:
    finished_ids = CaseEvent.objects.filter(
        action__in=_FINISHING, at__gte=start, at__lt=end
    ).values("case_id")
    finished = list(
        _rows(cases.filter(pk__in=finished_ids, state__in=trips.FINISHED), "declared_visits")
    )
    events = trips.events_of(c.pk for c in finished)
    for case in finished:
        measured = trips.Trips(trips.visits_from(events[case.pk]), case.declared_visits)
        for figures_ in group(case):
            figures_.finished += 1
            figures_.visits += measured.count
            figures_.one_visit += measured.count <= 1
            for cause in measured.extra_causes:
                figures_.extra_causes[cause] = figures_.extra_causes.get(cause, 0) + 1


def _ratings(
    ratings: QuerySet[Rating], now: dt.datetime, group: Callable[[Any], list[CaseFigures]]
) -> None:
    # By the figures themselves: a hall's and a unit's may share a code.
    counted: dict[int, tuple[CaseFigures, list[int]]] = {}
    for rating in _rows(rating_figures.counted(ratings), "level"):
        for figures_ in group(rating):
            figures_.levels[rating.level] += 1
            counted.setdefault(id(figures_), (figures_, []))[1].append(rating.pk)
    for figures_, ids in counted.values():
        found = rating_figures.rectification(Rating.objects.filter(pk__in=ids), now)
        figures_.rectification_due = found.due
        figures_.rectified_on_time = found.on_time
        figures_.rectification_pending = found.pending


def _prereviews(cases: QuerySet[Case], group: Callable[[Any], list[CaseFigures]]) -> None:
    opened = list(_rows(cases))
    linked = prereview_use([c.pk for c in opened])
    for case in opened:
        for figures_ in group(case):
            figures_.opened += 1
            figures_.prereviewed += case.pk in linked


def prereview_use(case_ids: list[int]) -> set[int]:
    """The cases among ``case_ids`` linked to a passed online pre-review (as
    :mod:`hotline.prereview.figures` counts a case pre-reviewed)."""
    return set(
        PreReview.objects.filter(case_id__in=case_ids, state=PreReviewState.PASSED).values_list(
            "case_id", flat=True
        )
    )
