"""Open data: each hall's live queue and daily statistics, read-only and without a token.

Served under ``/api/v1/open/halls`` and documented in the API's OpenAPI schema. Nothing personal
is in it: counts, estimated waits and KPIs per matter and hall.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import caches
from django.db.models import Min
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema
from pydantic import Field

from hotline import clock
from hotline.api.schemas import ErrorOut
from hotline.assessment import periods
from hotline.hall import board, hours, kpis
from hotline.hall.models import Hall, SelfServiceKind, SelfServiceUse, Ticket, WindowState
from hotline.orders.rules import InvalidInput

router = Router(tags=["Open data: service halls"], auth=None)

# A finished day's figures are kept this long: anyone may ask for them, without a token, and
# each is counted from the day's ticket events. Today's are counted on every request (live).
PAST_DAY_SECONDS = 60 * 60
#: The cache alias they are kept in (settings.CACHES): a store of their own, so that asking for
#: many days pushes out only other days, never the statistics page's or the staff pages' entries.
CACHE = "open-data"


class HallOut(Schema):
    code: str
    name: str


class QueueOut(Schema):
    matter: str
    matter_name: str
    queue_group: str
    waiting: int
    windows_open: int = Field(
        description="Open windows serving the matter now. With 0 (before the clerks sign in, "
        "all on a break) the estimate is a fallback, as if one window opened now."
    )
    estimated_wait_min: int | None = Field(
        description="The wait a newcomer would be shown now, low end, in minutes; null while "
        "the hall is closed (no ticket is given then)."
    )
    estimated_wait_max: int | None = Field(
        description="The same, high end; null while the hall is closed."
    )


class LiveOut(Schema):
    hall: str
    at: dt.datetime
    open_now: bool = Field(
        description="Whether the hall gives tickets now (a working day, within its hours)."
    )
    next_opening: dt.datetime | None = Field(
        description="When the hall opens next, while it is closed; null while it is open."
    )
    open_windows: int
    queues: list[QueueOut]


class DailyOut(Schema):
    hall: str
    day: dt.date
    issued: int
    served: int
    called: int = Field(description="Tickets called at least once that day.")
    # A wait is counted at its call: on a day (or a morning) when nobody was called there is no
    # mean, not a mean of 0 minutes while people stood waiting.
    mean_waiting_min: float | None = Field(
        description="Mean wait, arrival to the call answered, of the tickets called; null when "
        "none was called."
    )
    mean_serving_min: float | None = Field(
        description="Mean service time of the tickets served; null when none was served."
    )
    # A share of nothing is no share: 0.0 would say nobody waited too long, or nobody left.
    over_service_level: float | None = Field(
        description="Share of the tickets called whose wait was over the hall's service level; "
        "null when none was called."
    )
    no_show_rate: float | None = Field(
        description="Share of the tickets issued that were no-shows; null when none was issued."
    )
    abandon_rate: float | None = Field(
        description="Share of the tickets issued whose holder left (cancelled); null when none "
        "was issued."
    )
    recalls: int
    waiting_histogram_5min: list[int]
    self_service_uses: int = Field(
        description="Matters completed without a clerk at the hall's 24-hour self-service "
        "kiosks that day (material lists looked up are not counted)."
    )
    self_service_by_matter: dict[str, int] = Field(
        description="The same completions per matter code."
    )


def _hall(code: str) -> Hall:
    hall = Hall.objects.select_related("unit").filter(code=code).first()
    if hall is None:
        raise Http404
    return hall


@router.get(
    "",
    response={200: list[HallOut], 400: ErrorOut},
    summary="Service halls",
    operation_id="list_halls",
)
def halls(request: HttpRequest) -> list[HallOut]:
    return [HallOut(code=h.code, name=h.unit.name) for h in Hall.objects.select_related("unit")]


@router.get(
    "/{code}/queue",
    response={200: LiveOut, 400: ErrorOut, 404: ErrorOut},
    summary="A hall's live queue",
    operation_id="hall_live_queue",
)
def live_queue(request: HttpRequest, code: str) -> LiveOut:
    """Waiting tickets per matter now, with the wait a newcomer would be shown; whether the
    hall is open, and when it opens next while it is closed."""
    hall = _hall(code)
    now = clock.now()
    queues = board.queues(hall, board.today(now), now)
    # Closed (a Saturday, before opening, after closing), the queue read like an open hall's,
    # with a wait of minutes for a newcomer that no kiosk would give a ticket to.
    open_now = hours.hall_open(hall, now)
    return LiveOut(
        hall=hall.code,
        at=now,
        open_now=open_now,
        next_opening=None if open_now else hours.next_opening(hall, now),
        open_windows=hall.windows.filter(state=WindowState.OPEN).count(),
        queues=[
            QueueOut(
                matter=q.matter.code,
                matter_name=q.matter.name,
                queue_group=q.matter.queue_group,
                waiting=q.waiting,
                windows_open=q.windows_open,
                estimated_wait_min=q.low if open_now else None,
                estimated_wait_max=q.high if open_now else None,
            )
            for q in queues
        ],
    )


@router.get(
    "/{code}/daily/{day}",
    response={200: DailyOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A hall's statistics for one day",
    operation_id="hall_daily_statistics",
)
def daily(
    request: HttpRequest,
    code: str,
    day: str = Path(
        ...,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="The day, YYYY-MM-DD, between 2000-01-01 and 2100-12-31. A day after "
        "today, or before the hall's first ticket or self-service completion, is a 404.",
        examples=["2026-12-03"],
    ),
) -> DailyOut:
    """The day's KPIs, computed from the recorded ticket events, and the self-service kiosks'
    completions from their recorded uses. Today's are live; a finished day's are kept; a day
    after today or before the hall's first figures (:func:`first_day`) is not found."""
    hall = _hall(code)
    # Only YYYY-MM-DD (pydantic would read "0" as 1970-01-01), and in the range of every date
    # the product accepts: a day of zeros for year 1 is no statistic.
    try:
        parsed = periods.parse_day(day)
    except periods.PeriodError as exc:
        raise InvalidInput(str(exc), field="day") from None
    today = clock.today()
    if parsed > today:
        raise Http404  # nothing has happened yet: no day of zeros, and nothing to keep
    if parsed < today:

        def counted() -> dict[str, object]:
            first = first_day(hall)
            if first is None or parsed < first:
                raise Http404  # before the hall's first ticket or kiosk use: no statistic
            return _daily(hall, parsed).model_dump()

        key = f"hotline:hall-daily:v1:{hall.code}:{parsed}"
        kept = caches[CACHE].get_or_set(key, counted, PAST_DAY_SECONDS)
        return DailyOut.model_validate(kept)
    return _daily(hall, parsed)


def first_day(hall: Hall) -> dt.date | None:
    """The hall's first day with figures: its first ticket's or first self-service completion's,
    whichever came first (None before either). A finished day before it is answered 404, not
    counted: 2000-01-01 … the hall's opening would be thousands of days of zeros for anyone to
    ask for, each counted and kept (two index look-ups; a day already kept skips them)."""
    ticket = Ticket.objects.filter(hall=hall).aggregate(first=Min("day"))["first"]
    used = SelfServiceUse.objects.filter(hall=hall, kind=SelfServiceKind.DONE).aggregate(
        first=Min("at")
    )["first"]
    days = [d for d in (ticket, used and timezone.localdate(used)) if d is not None]
    return min(days) if days else None


def _daily(hall: Hall, day: dt.date) -> DailyOut:
    f = kpis.report(hall, day, day).get(hall.code, kpis.Figures())
    self_service = kpis.self_service_uses(hall, day, day)
    return DailyOut(
        hall=hall.code,
        day=day,
        issued=f.issued,
        served=f.served,
        called=f.called,
        mean_waiting_min=round(f.mean_waiting, 2) if f.called else None,
        mean_serving_min=round(f.mean_serving, 2) if f.served else None,
        over_service_level=round(f.over_service_level, 3) if f.called else None,
        no_show_rate=round(f.no_show_rate, 3) if f.issued else None,
        abandon_rate=round(f.abandon_rate, 3) if f.issued else None,
        recalls=f.recalls,
        waiting_histogram_5min=f.histogram,
        self_service_uses=sum(self_service.values()),
        self_service_by_matter=self_service,
    )
