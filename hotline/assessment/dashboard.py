"""What the leader dashboard shows, computed for a period (the page is hotline/web/dashboard.py).

Every figure here comes from :mod:`hotline.assessment.kpis` (the same numbers as
``hotline kpi --json`` and the monthly report) or from a single grouped query over orders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.admin.models import LogEntry
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.forms.models import model_to_dict
from django.utils import timezone, translation
from django.utils.translation import pgettext

from hotline import clock
from hotline.assessment import hall, hall_cases, kpis, periods
from hotline.assessment.models import KpiSettings, SampleReview
from hotline.cases.models import Case, CaseEvent
from hotline.hall import kpis as hall_kpis
from hotline.hall.models import Appointment, AppointmentEvent, TicketEvent
from hotline.kb.models import ArticleEvent, UpkeepTask
from hotline.orders.models import Action, Event, State, WorkOrder
from hotline.org.models import Category
from hotline.prereview.models import PreReview, PreReviewEvent, PreReviewInvitation
from hotline.ratings.models import BAD_LEVELS, Level, Rating, RatingEvent

#: The KPIs drawn as monthly trend lines.
TREND_KPIS = (kpis.FIRST_CONTACT, kpis.ON_TIME_REPLY, kpis.RESOLUTION, kpis.SATISFACTION)
#: The columns of the KPI table (volume and overdue are counts, the rest ratios).
TABLE_KPIS = (
    kpis.SIGN_FOR,
    kpis.FIRST_CONTACT,
    kpis.ON_TIME_REPLY,
    kpis.RESOLUTION,
    kpis.SATISFACTION,
    kpis.SATISFACTION_SCORE,
    kpis.REOPEN,
    kpis.RETURN,
    kpis.UNREACHABLE,
)


def district_totals(report: kpis.KpiReport) -> kpis.UnitKpis:
    """The whole district: the sum of the top-level units (each already holds its subtree)."""
    total = kpis.UnitKpis(unit_id=0, code="", name="", kind="", peer_group="", parent_code=None)
    for unit in report.units:
        if unit.parent_code is not None:
            continue
        total.volume += unit.volume
        total.overdue += unit.overdue
        total.supervisions += unit.supervisions
        for name, ratio in unit.ratios.items():
            total.ratios[name] = total.ratios[name] + ratio if name in total.ratios else ratio
    return total


def volume_by_day(start: dt.datetime, end: dt.datetime) -> list[tuple[dt.date, int]]:
    """Orders registered each local day of the period, empty days included."""
    counts = dict(
        WorkOrder.objects.filter(registered_at__gte=start, registered_at__lt=end)
        .annotate(day=TruncDate("registered_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    first = timezone.localtime(start).date()
    last = timezone.localtime(end - dt.timedelta(microseconds=1)).date()
    days = (last - first).days + 1
    return [
        (first + dt.timedelta(days=i), counts.get(first + dt.timedelta(days=i), 0))
        for i in range(days)
    ]


def category_mix(start: dt.datetime, end: dt.datetime) -> list[tuple[str, str, int]]:
    """Orders registered in the period by top-level category: ``(code, name, count)``,
    largest first; orders without a category are left out."""
    categories = {
        pk: (parent_id, code, name)
        for pk, parent_id, code, name in Category.objects.values_list(
            "pk", "parent_id", "code", "name"
        )
    }

    def top(pk: int) -> int:
        seen = set()
        while categories[pk][0] is not None and pk not in seen:
            seen.add(pk)
            pk = categories[pk][0]
        return pk

    mix: Counter[int] = Counter()
    for category_id, n in (
        WorkOrder.objects.filter(
            registered_at__gte=start, registered_at__lt=end, category__isnull=False
        )
        .exclude(state__in=[State.MERGED, State.CANCELLED])
        .order_by()
        .values("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    ):
        mix[top(category_id)] += n
    return [(categories[pk][1], categories[pk][2], n) for pk, n in mix.most_common()]


#: How long an ended month's figures are kept at most (below); any new event shows at once.
PERIOD_CACHE_SECONDS = 600
#: The store they are kept in (``CACHES`` in settings): theirs alone, of fixed size, so however
#: many months are asked for they push out only other months, never the hall's estimates, the
#: dispatch model or the trend points kept in ``default`` (review, session 24).
PERIOD_CACHE = "dashboard"
#: The store of the other ended periods (``from``/``to``), smaller still and apart from the
#: months': a loop over the ~65,000 pairs the page accepts pushes out only other such periods,
#: never a month nor anything in ``default`` (session 29: a custom period took 1.2 s of CPU on
#: every load).
RANGE_CACHE = "dashboard-ranges"
#: Both (tests clear them).
STORES = (PERIOD_CACHE, RANGE_CACHE)

#: The tables the period's figures read whose rows are only ever added (events, ratings, cases,
#: reviews...), and the admin's log of changes: the newest id of each names the data version.
_GROWING = (
    Event,  # orders: receipts, callbacks, approved appeals, a late import into a past month
    TicketEvent,
    Appointment,
    AppointmentEvent,
    Case,
    CaseEvent,
    Rating,
    RatingEvent,
    PreReview,
    PreReviewEvent,
    PreReviewInvitation,
    SampleReview,
    UpkeepTask,
    ArticleEvent,
    LogEntry,  # every change made in the admin: units, halls, windows, deadline rules, calendar
)


def data_version(settings: KpiSettings) -> str:
    """A short fingerprint that changes whenever anything :func:`period_figures` reads changes,
    from one query of index look-ups and the KPI ``settings`` row (read anyway).

    - Every state change is an action that appends an event (an approved appeal, a callback, a
      ticket served, a case concluded, a rating appealed, an order replied to): the newest id of
      each event table and of the tables whose rows are only added (:data:`_GROWING`). A history
      imported into a past month appends events too, so it changes the version although its
      events are dated in that month.
    - What is edited in place: the KPI settings (their values are in the fingerprint), and the
      units, halls, windows, deadline rules and calendar, edited in the admin, whose log of
      changes is one of those tables.

    Not covered, and bounded by :data:`PERIOD_CACHE_SECONDS` instead: a change made outside the
    admin and the actions (a management command, the database by hand), and what only the
    passing of time changes in an ended period (a 差评's rectification deadline that falls after
    the period passing with no reply).
    """
    quote = connection.ops.quote_name
    newest = ", ".join(
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})" for m in _GROWING
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {newest}")
        ids = cursor.fetchone()
    text = json.dumps([list(ids), model_to_dict(settings)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def period_figures(first: dt.date, last: dt.date) -> tuple[hall.HallFigures, kpis.KpiReport]:
    """The halls' figures (:func:`hall.hall_figures`) and the units' KPIs (:func:`kpis.compute`,
    the centres scored on those halls) for the days ``first`` to ``last``: the page's costly
    part (about a second on the demo's month).

    A period that has ended is taken from the cache when it was computed for the same
    :func:`data_version` and language (windows' labels are translated), and kept
    :data:`PERIOD_CACHE_SECONDS` at most: a whole calendar month (the page's default, the month
    picker's, ``?month=`` or the same days as ``from``/``to``) in its own store
    (:data:`PERIOD_CACHE`), any other days in theirs (:data:`RANGE_CACHE`), each of fixed size,
    so that a loop over the ~65,000 ``from``/``to`` pairs the page accepts pushes out only other
    such pairs (review, session 24, H: they were kept in the shared cache). A period still
    running (to today or later) is computed on every load: time alone changes what is due in it.
    """
    start, end = periods.between(first, last)
    settings = KpiSettings.current()

    def computed() -> tuple[hall.HallFigures, kpis.KpiReport]:
        known = hall.hall_figures(first, last)
        return known, kpis.compute(start, end, settings=settings, halls=known)

    if last >= clock.today():
        return computed()
    key = (
        f"hotline:dashboard-figures:v1:{first.isoformat()}:{last.isoformat()}:"
        f"{translation.get_language()}:{data_version(settings)}"
    )
    store = PERIOD_CACHE if _whole_month(first, last) else RANGE_CACHE
    return cast(
        tuple[hall.HallFigures, kpis.KpiReport],
        caches[store].get_or_set(key, computed, PERIOD_CACHE_SECONDS),
    )


def _whole_month(first: dt.date, last: dt.date) -> bool:
    """Whether the days ``first`` to ``last`` are one calendar month, first day to last."""
    return first.day == 1 and periods.month_days(f"{first.year:04d}-{first.month:02d}") == (
        first,
        last,
    )


@dataclass
class TrendPoint:
    month: str
    values: dict[str, float | None]
    volume: int


#: How long a finished month's trend point is reused (a history import may still change it).
TREND_CACHE_SECONDS = 3600


def trend(
    last_day: dt.date, months: int = 6, *, known: kpis.KpiReport | None = None
) -> list[TrendPoint]:
    """District-wide KPIs for each of the ``months`` months ending with ``last_day``'s month.

    A month that is over only changes through approved appeals, the KPI settings or an imported
    history (events are appended at the time they happen), so its point is cached under a key
    naming the first two, for an hour; the current month is always computed. ``known``: a report
    already computed with the settings in force (the dashboard's own month), used for its month
    rather than computed again. The other months are computed without the service centres' hall
    figures, which change neither the district's volume nor its hotline rates.
    """
    settings = KpiSettings.current()
    weights = json.dumps(model_to_dict(settings), sort_keys=True, default=str)
    stamp = (
        Event.objects.filter(action=Action.APPROVE_APPEAL).count(),
        hashlib.sha256(weights.encode()).hexdigest()[:16],
    )
    now = clock.now()
    points = []
    # The approved appeals, read once for every month computed (one query each before).
    exclusions: kpis.Exclusions | None = None
    for month in periods.months_back(last_day, months):
        start, end = periods.month(month)
        # "v2": the round-based definitions (docs/kpis.md); points cached before do not apply.
        key = f"hotline:kpi-trend:v2:{month}:{stamp[0]}:{stamp[1]}"
        point = cache.get(key) if end <= now else None
        if point is None:
            if known is not None and (known.start, known.end) == (start, end):
                report = known
            else:
                if exclusions is None:
                    exclusions = kpis.approved_exclusions()
                report = kpis.compute(
                    start, end, exclusions=exclusions, settings=settings, centres=False
                )
            total = district_totals(report)
            point = TrendPoint(
                month=month,
                values={name: total.ratios[name].value for name in TREND_KPIS},
                volume=total.volume,
            )
            if end <= now:
                cache.set(key, point, TREND_CACHE_SECONDS)
        points.append(point)
    return points


def ranking(report: kpis.KpiReport) -> dict[str, list[kpis.UnitKpis]]:
    """Units with a score by peer group: the ranked ones by rank, then those below the minimum
    volume (shown, not ranked) by score."""
    groups: dict[str, list[kpis.UnitKpis]] = {}
    for unit in report.units:
        if unit.peer_group and unit.score is not None:
            groups.setdefault(unit.peer_group, []).append(unit)
    for members in groups.values():
        members.sort(key=lambda u: (u.rank is None, u.rank or 0, -(u.score or 0), u.code))
    return groups


def chart_axes() -> dict[str, dict[str, str]]:
    """Each chart's axis names with their units (件, 人次, 分钟, 条, %), in the page's language
    (walk-through, session 28, F9: the charts' axes said neither what nor in which unit)."""
    orders = pgettext("chart axis", "Orders (count)")
    served = pgettext("chart axis", "Tickets served (count)")
    return {
        "days": {"x": pgettext("chart axis", "Day"), "y": orders},
        "trend": {"x": pgettext("chart axis", "Month"), "y": pgettext("chart axis", "Rate (%)")},
        "ranking": {"x": pgettext("chart axis", "Score (points)"), "y": ""},
        "over": {
            "x": pgettext("chart axis", "Service centre"),
            "y": pgettext("chart axis", "Over the service level (%)"),
        },
        "wait": {
            "x": pgettext("chart axis", "Wait (minutes)"),
            "y": pgettext("chart axis", "Tickets (people)"),
        },
        "windows": {"x": pgettext("chart axis", "Window"), "y": served},
        "clerks": {"x": pgettext("chart axis", "Clerk"), "y": served},
        "ratings": {
            "x": pgettext("chart axis", "Rating level"),
            "y": pgettext("chart axis", "Ratings (count)"),
        },
    }


def chart_data(
    report: kpis.KpiReport,
    days: list[tuple[dt.date, int]],
    mix: list[tuple[str, str, int]],
    points: list[TrendPoint],
    labels: dict[str, str],
) -> dict[str, Any]:
    """The JSON the page's charts are drawn from (static/hotline/dashboard.js)."""
    ranked = ranking(report)
    return {
        "axes": chart_axes(),
        "days": {"x": [d.isoformat() for d, _n in days], "y": [n for _d, n in days]},
        "mix": [{"name": name, "value": n, "code": code} for code, name, n in mix],
        "trend": {
            "x": [p.month for p in points],
            "series": [
                {"kpi": name, "name": labels[name], "data": [p.values[name] for p in points]}
                for name in TREND_KPIS
            ],
        },
        "ranking": {
            group: {
                "units": [u.name for u in members],
                "codes": [u.code for u in members],
                "scores": [u.score for u in members],
                "ranked": [u.rank is not None for u in members],
            }
            for group, members in ranked.items()
        },
    }


def hall_section(
    first: dt.date,
    last: dt.date,
    report: kpis.KpiReport,
    known: hall.HallFigures | None = None,
) -> dict[str, Any]:
    """The dashboard's service-hall section for the days ``first`` to ``last``: per hall its
    figures, composite score and rank (from ``report``), and the JSON of its charts (wait
    distribution, share over the service level, throughput per window and clerk, the 好差评
    distribution), drawn by static/hotline/hall-dashboard.js; and per hall its cases and ratings
    (:mod:`hotline.assessment.hall_cases`). ``known``: the halls' figures when already read for
    ``report`` (:func:`hall.hall_figures`)."""
    scored = {u.unit_id: u for u in report.units if u.peer_group == hall.SERVICE_CENTRES}
    known = known or hall.hall_figures(first, last)
    months = known.months
    casework = known.casework
    self_service = hall_kpis.self_service_counts([m.hall.pk for m in months], first, last)
    buckets = [
        f"{i * hall_kpis.BUCKET_MINUTES}–{(i + 1) * hall_kpis.BUCKET_MINUTES}"
        for i in range(hall_kpis.BUCKETS)
    ] + [f"≥{hall_kpis.BUCKETS * hall_kpis.BUCKET_MINUTES}"]
    halls = []
    for month in months:
        figures = month.figures
        halls.append(
            {
                "code": month.hall.code,
                "name": month.hall.unit.name,
                "service_level": month.hall.service_level_minutes,
                "figures": figures,
                "ratios": month.ratios,
                "unit": scored.get(month.hall.unit_id),
                "percent": _percents(figures, month.appointments),
                # Matters completed at the hall's self-service kiosks (no ticket, no clerk).
                "self_service": self_service.get(month.hall.pk, 0),
                "cases": casework.get(month.hall.code, hall_cases.CaseFigures(month.hall.code, "")),
                "chart": {
                    "code": month.hall.code,
                    "ratings": _rating_levels(casework.get(month.hall.code)),
                    "histogram": figures.histogram,
                    "windows": {
                        "x": [t.label for t in month.windows],
                        "y": [t.served for t in month.windows],
                    },
                    "clerks": {
                        "x": [t.label for t in month.clerks],
                        "y": [t.served for t in month.clerks],
                    },
                },
            }
        )
    return {
        "halls": halls,
        "charts": {
            "axes": chart_axes(),
            "buckets": buckets,
            "halls": [h["chart"] for h in halls],
            "over": {
                "x": [m.hall.unit.name for m in months],
                "y": [
                    round(100 * m.figures.over_service_level, 1) if m.figures.called else None
                    for m in months
                ],
            },
        },
    }


def _rating_levels(found: hall_cases.CaseFigures | None) -> dict[str, list[Any]]:
    """The 好差评 distribution for the chart, best level first."""
    levels = list(Level)
    return {
        "x": [str(level.label) for level in levels],
        "y": [found.levels[level.value] if found else 0 for level in levels],
        "bad": [level in BAD_LEVELS for level in levels],
    }


def _percents(figures: hall_kpis.Figures, appointments: tuple[int, int]) -> dict[str, float | None]:
    """The hall's shares as percentages for the table (None where there is nothing to count)."""

    def pct(share: float | None, present: bool = True) -> float | None:
        return round(100 * share, 1) if present and share is not None else None

    kept, missed = appointments
    return {
        "over": pct(figures.over_service_level, bool(figures.called)),
        "no_show": pct(figures.no_show_rate, bool(figures.issued)),
        "abandon": pct(figures.abandon_rate, bool(figures.issued)),
        "kept": pct(kept / (kept + missed) if kept + missed else None),
        "inside": pct(figures.estimate_inside),
    }
