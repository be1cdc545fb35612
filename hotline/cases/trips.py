"""Trips (跑动次数) measured from the events, not declared: visits per case and per bundle, the
cause of every extra trip, the waiting, and the 一次办 rate per matter, hall and unit.

- A **visit** is a VISIT event: a served ticket, a remote session at a neighbourhood point, or a
  pick-up of a concluded case (at a window, with or without a ticket). A bundle's cases share the
  ticket, so a bundle counts a visit once per ticket (or per moment, for a pick-up without one).
- Each **return visit** (the second and later) has a cause, read from what happened since the
  previous visit: a correction notice (补正), a recorded reason to come again (a material to
  fetch, the system down, other), else a pick-up, else "other".
- **Extra trips** are the visits beyond the matter's declared number (到办事现场次数). They are
  blamed on the return visits' causes, a pick-up last: a matter that declares two visits
  (apply, collect) and took three because of a 补正 has one extra trip, caused by the 补正.
- The **一次办 rate** (最多跑一次) is the share of finished cases (concluded, delivered or not
  accepted) that took at most one visit; the rate within the declared number is beside it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hotline.cases.models import Case, CaseAction, CaseEvent, CaseState, TripCause, VisitKind
from hotline.hall.models import Ticket, TicketAction, TicketEvent

FINISHED = (CaseState.CONCLUDED, CaseState.DELIVERED, CaseState.REFUSED)
_READ = (
    CaseAction.VISIT,
    CaseAction.REQUEST_CORRECTION,
    CaseAction.RETURN_ASKED,
)
_CALLS = (TicketAction.CALL, TicketAction.RECALL, TicketAction.CALL_BACK)


@dataclass(frozen=True)
class Visit:
    at: dt.datetime
    kind: str
    ticket_id: int | None
    cause: str | None  # None for the first visit


@dataclass
class Trips:
    """The trips of one case or bundle."""

    visits: list[Visit]
    declared: int

    @property
    def count(self) -> int:
        return len(self.visits)

    @property
    def extra(self) -> int:
        return max(0, self.count - self.declared)

    @property
    def extra_causes(self) -> list[str]:
        causes = [v.cause for v in self.visits[1:] if v.cause]
        ordered = [c for c in causes if c != TripCause.PICKUP] + [
            c for c in causes if c == TripCause.PICKUP
        ]
        return ordered[: self.extra]


def visits_from(events: Sequence[tuple[str, dt.datetime, int | None, dict]]) -> list[Visit]:
    """A case's visits with their causes, from its (action, at, ticket, payload) in order."""
    visits: list[Visit] = []
    since: list[tuple[str, dict]] = []
    for action, at, ticket_id, payload in events:
        if action != CaseAction.VISIT:
            since.append((action, payload))
            continue
        kind = payload.get("kind", VisitKind.TICKET)
        cause = None if not visits else _cause(kind, since)
        visits.append(Visit(at, kind, ticket_id, cause))
        since = []
    return visits


def _cause(kind: str, since: list[tuple[str, dict]]) -> str:
    if any(action == CaseAction.REQUEST_CORRECTION for action, _payload in since):
        return TripCause.CORRECTION
    for action, payload in reversed(since):
        if action == CaseAction.RETURN_ASKED:
            return str(payload.get("cause", TripCause.OTHER))
    return TripCause.PICKUP if kind == VisitKind.PICKUP else TripCause.OTHER


#: A case's events as trips read them: (action, at, ticket id, payload), in order.
Steps = list[tuple[str, dt.datetime, int | None, dict]]


def events_of(case_ids: Iterable[int]) -> dict[int, Steps]:
    """The events trips read, per case, in one query."""
    found: dict[int, Steps] = defaultdict(list)
    for case_id, action, at, ticket_id, payload in (
        CaseEvent.objects.filter(case_id__in=list(case_ids), action__in=_READ)
        .order_by("case_id", "seq")
        .values_list("case_id", "action", "at", "ticket_id", "payload")
    ):
        found[case_id].append((action, at, ticket_id, payload))
    return found


def case_trips(case: Case) -> Trips:
    return Trips(visits_from(events_of([case.pk])[case.pk]), case.declared_visits)


def submission_trips(cases: Sequence[Case]) -> Trips:
    """One application's trips (a bundle's: its cases share tickets, each counted once)."""
    events = events_of(c.pk for c in cases)
    seen: dict[object, Visit] = {}
    for case in cases:
        for visit in visits_from(events[case.pk]):
            key = visit.ticket_id or visit.at
            kept = seen.get(key)
            # A visit that is a return for one case and the first for another: keep the cause.
            if kept is None or (kept.cause is None and visit.cause is not None):
                seen[key] = visit
    ordered = sorted(seen.values(), key=lambda v: v.at)
    if ordered and ordered[0].cause is not None:
        ordered[0] = Visit(ordered[0].at, ordered[0].kind, ordered[0].ticket_id, None)
    declared = max((c.declared_visits for c in cases), default=1)
    return Trips(ordered, declared)


def waiting_minutes(ticket_ids: Iterable[int]) -> dict[int, float]:
    """Each ticket's wait, as the hall counts it: from arrival (issue) to the last call before
    service started."""
    issued: dict[int, dt.datetime] = {}
    last_call: dict[int, dt.datetime] = {}
    waited: dict[int, float] = {}
    for ticket_id, action, at in (
        TicketEvent.objects.filter(ticket_id__in=list(ticket_ids))
        .order_by("ticket_id", "seq")
        .values_list("ticket_id", "action", "at")
    ):
        if action == TicketAction.ISSUE:
            issued[ticket_id] = at
        elif action in _CALLS:
            last_call[ticket_id] = at
        elif (
            action == TicketAction.START
            and ticket_id not in waited
            and ticket_id in issued
            and ticket_id in last_call
        ):
            waited[ticket_id] = (last_call[ticket_id] - issued[ticket_id]).total_seconds() / 60
    return waited


def submission_waiting(cases: Sequence[Case]) -> float:
    """Minutes an application's citizen waited in the queue over all its visits."""
    tickets = {v.ticket_id for v in submission_trips(cases).visits if v.ticket_id}
    return round(sum(waiting_minutes(tickets).values()), 1)


@dataclass
class Rate:
    """一次办 of a group of finished cases."""

    cases: int = 0
    one_visit: int = 0
    within_declared: int = 0
    visits: int = 0
    extra_causes: dict[str, int] = field(default_factory=dict)

    @property
    def one_visit_rate(self) -> float | None:
        return round(self.one_visit / self.cases, 4) if self.cases else None

    @property
    def within_declared_rate(self) -> float | None:
        return round(self.within_declared / self.cases, 4) if self.cases else None

    @property
    def mean_visits(self) -> float | None:
        return round(self.visits / self.cases, 2) if self.cases else None


BY = {
    "matter": lambda c: c.matter.code,
    "hall": lambda c: c.hall.code,
    "unit": lambda c: c.matter.unit.code if c.matter.unit_id else c.hall.unit.code,
}


def one_visit_rates(cases: Iterable[Case], by: str = "hall") -> dict[str, Rate]:
    """The 一次办 rate of the finished cases among ``cases``, grouped by matter, hall or unit
    (the matter's handling unit; the hall's centre for a matter without one)."""
    key = BY[by]
    finished = [c for c in cases if c.state in FINISHED]
    events = events_of(c.pk for c in finished)
    rates: dict[str, Rate] = defaultdict(Rate)
    for case in finished:
        trips = Trips(visits_from(events[case.pk]), case.declared_visits)
        rate = rates[key(case)]
        rate.cases += 1
        rate.visits += trips.count
        rate.one_visit += trips.count <= 1
        rate.within_declared += trips.extra == 0
        for cause in trips.extra_causes:
            rate.extra_causes[cause] = rate.extra_causes.get(cause, 0) + 1
    return dict(rates)


def tickets_of(case: Case) -> list[Ticket]:
    ids = [v.ticket_id for v in case_trips(case).visits if v.ticket_id]
    return list(Ticket.objects.filter(pk__in=ids).order_by("issued_at"))
