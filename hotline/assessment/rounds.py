"""Handling rounds (办理轮次): the deadline-based KPIs 先行联系率 and 按时办结率 (docs/kpis.md).

A round is one unit's turn with an order: it starts when the order is handed to the unit
(``dispatch``, ``redispatch``, ``approve_return``) or moved into ``reopened`` (a fresh reply
deadline for the same unit), and ends when the next round starts. Each round has a first-contact
and a reply deadline, set when it starts from the category's deadline policy and the working
calendar (``hotline.sla.deadlines``, as the order's own deadlines were); an approved extension in
the round moves the reply deadline to the one its event records. A round counts in the period its
deadline falls in, for the unit that held the order then, so an order never contacted or never
replied counts against the unit once its deadline passes, and a rejected and redone reply is one
round, counted once.

Two ways to the same rounds. :func:`rounds` reads the events from ``LOOKBACK`` before the period
to its end (merged/cancelled orders left out; a round that started earlier is never seen) and
builds every round in Python: one order's rounds (appeals), and the orders :func:`populations`
leaves to it. :func:`populations`, what the KPIs count (the rounds were nearly all of the 1.6 s a
month took at 100,000 orders in session 27), groups the events into rounds in SQL from the
look-back the longest term needs, and decides whether a computed deadline falls in the period by
comparing the round's start with a range found once per term; it computes a deadline only for a
round that ended before that deadline may have come. Both: a fixed number of queries whatever the
number of units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.dateparse import parse_datetime

from hotline.orders.models import Action, Event, State, WorkOrder
from hotline.org.models import Category
from hotline.sla import deadlines
from hotline.sla.models import Basis, DeadlineRule, Urgency

#: Events that hand an order to a unit (its volume, and the start of a round).
RECEIPTS = (Action.DISPATCH, Action.REDISPATCH, Action.APPROVE_RETURN)
#: The actions that can move an order into ``reopened`` (a ``reopen``, or a dissatisfied
#: ``callback`` under CALLBACK_DISSATISFIED=reopen): named, so the queries use the action index.
REOPENING = (Action.REOPEN, Action.CALLBACK)
#: Moves into ``reopened``; ``overdue`` or ``supervise`` events logged while the order is already
#: reopened keep ``to_state = reopened`` and are not reopens.
INTO_REOPENED = Q(action__in=REOPENING) & Q(to_state=State.REOPENED) & ~Q(from_state=State.REOPENED)
#: How far before a period a round may start and still have a deadline in it. Generous: the
#: longest reply term plus the longest extension is well under it.
LOOKBACK = dt.timedelta(days=120)


@dataclass
class Round:
    """One unit's turn with one order and how it met its two deadlines."""

    order_id: int
    unit_id: int
    started: dt.datetime
    contact_due: dt.datetime | None
    reply_due: dt.datetime | None
    ended: dt.datetime | None = None
    contacted_on_time: bool = False
    #: The round's latest reply, judged on time (``None``: not replied yet).
    replied_on_time: bool | None = None

    def held_at(self, moment: dt.datetime) -> bool:
        """Whether the unit still had the order when ``moment`` (a deadline) came."""
        return self.ended is None or self.ended > moment


class _Terms:
    """Each (category, urgency)'s deadline terms, from two queries for the whole computation."""

    def __init__(self) -> None:
        self.parent: dict[int, int | None] = {}
        self.policy: dict[int, int | None] = {}
        for pk, parent_id, policy_id in Category.objects.values_list(
            "pk", "parent_id", "deadline_policy_id"
        ):
            self.parent[pk] = parent_id
            self.policy[pk] = policy_id
        self.rules = {
            (rule.policy_id, rule.urgency): deadlines.Terms.of(rule)
            for rule in DeadlineRule.objects.all()
        }
        self._memo: dict[tuple[int | None, str], deadlines.Terms] = {}

    def __call__(self, category_id: int | None, urgency: str) -> deadlines.Terms:
        key = (category_id, urgency)
        if key not in self._memo:
            self._memo[key] = self._find(category_id, urgency)
        return self._memo[key]

    def _find(self, category_id: int | None, urgency: str) -> deadlines.Terms:
        # The nearest policy up the category's lineage, as Category.effective_deadline_policy.
        node, seen = category_id, set()
        while node is not None and node not in seen:
            seen.add(node)
            policy_id = self.policy.get(node)
            if policy_id is not None:
                terms = self.rules.get((policy_id, urgency))
                return terms if terms is not None else deadlines.FALLBACK[Urgency(urgency)]
            node = self.parent.get(node)
        return deadlines.FALLBACK[Urgency(urgency)]


def _moment(value: object) -> dt.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _on_time(recorded: object, when: dt.datetime, due: dt.datetime | None) -> bool:
    """What the event recorded when it was written (``payload.on_time``); events from before it
    did (``None``): by the time."""
    if recorded is not None:
        return bool(recorded)
    return due is None or when <= due


def _reach(amount: int, basis: str) -> dt.timedelta:
    """More than the longest a deadline of ``amount`` in ``basis`` can run: twice the working
    time plus the longest run of holidays and weekends (Spring Festival: 9 days) and a margin."""
    if basis == Basis.HOURS:
        return dt.timedelta(hours=amount, days=1)
    days = amount if basis == Basis.WORKING_DAYS else amount // 4 + 1  # ≥ 4 working hours a day
    return dt.timedelta(days=2 * days + 16)


def _due(at: dt.datetime, amount: int, basis: str, start: dt.datetime) -> dt.datetime | None:
    """The deadline, or ``None`` both when there is none and when it cannot fall on or after
    ``start`` (computing it would be wasted: the round counts in an earlier period)."""
    if amount <= 0 or at + _reach(amount, basis) < start:
        return None
    return deadlines.due(at, amount, basis)


def rounds(
    start: dt.datetime,
    end: dt.datetime,
    *,
    order_ids: Collection[int] | None = None,
    terms: _Terms | None = None,
) -> list[Round]:
    """Every round that may have a deadline in ``[start, end)``, built from events before ``end``
    of orders not merged or cancelled before ``end``."""
    gone = Event.objects.filter(
        order_id=OuterRef("order_id"), to_state__in=[State.MERGED, State.CANCELLED], at__lt=end
    )
    events = (
        Event.objects.filter(at__lt=end, at__gte=start - LOOKBACK)
        .filter(
            action__in=[
                *RECEIPTS,
                *REOPENING,
                Action.FIRST_CONTACT,
                Action.APPROVE_EXTENSION,
                Action.REPLY,
                Action.ASSIGN_INSIDE,
                Action.HAND_BACK,
            ]
        )
        .exclude(Exists(gone))
        .order_by("order_id", "seq")
        # Only the payload keys read here: a reply's payload carries its whole text.
        .values_list(
            "order_id",
            "action",
            "at",
            "unit_id",
            "assigned_unit_id",
            "to_state",
            "from_state",
            "payload__on_time",
            "payload__contacted_at",
            "payload__first_contact_due",
            "payload__reply_due",
            "order__category_id",
            "order__urgency",
        )
    )
    if order_ids is not None:
        events = events.filter(order_id__in=list(order_ids))
    result: list[Round] = []
    current: Round | None = None
    for (
        order_id,
        action,
        at,
        unit_id,
        assigned_id,
        to_state,
        from_state,
        on_time,
        contacted_at,
        contact_due,
        reply_due,
        category,
        urgency,
    ) in events:
        if current is not None and current.order_id != order_id:
            current = None
        starts = action in RECEIPTS or (to_state == State.REOPENED and from_state != State.REOPENED)
        if starts:
            if current is not None:
                current.ended = at
            if unit_id is None:
                current = None
                continue
            terms = terms or _Terms()
            term = terms(category, urgency)
            current = Round(
                order_id=order_id,
                # A reopened order goes back to the sub-unit that had it (二级派单).
                unit_id=assigned_id or unit_id,
                started=at,
                # An event that records its deadlines is taken at its word.
                contact_due=_moment(contact_due) or _due(at, term.first_contact, term.basis, start),
                reply_due=_moment(reply_due) or _due(at, term.reply, term.basis, start),
            )
            result.append(current)
        elif current is None:
            continue
        elif action in (Action.ASSIGN_INSIDE, Action.HAND_BACK):
            # 二级派单: the round counts for the sub-unit that has it last, rolled up to the lead.
            current.unit_id = assigned_id or unit_id or current.unit_id
        elif action == Action.FIRST_CONTACT:
            when = _moment(contacted_at) or at
            if _on_time(on_time, when, current.contact_due):
                current.contacted_on_time = True
        elif action == Action.APPROVE_EXTENSION:
            current.reply_due = _moment(reply_due) or current.reply_due
        elif action == Action.REPLY:
            current.replied_on_time = _on_time(on_time, at, current.reply_due)
    return result


# --- the period's populations, counted in SQL and on start ranges ---------------------------

#: Added to the look-back of :func:`populations` for deadlines an event recorded under another
#: calendar or policy than today's (the longest run of holidays and weekends: Spring Festival, 9
#: days, with a week's margin). A round that started earlier is not seen, as before ``LOOKBACK``.
RECORDED_MARGIN = dt.timedelta(days=16)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)
_UNIT_SHIFT = 2**32
_URGENCY_SHIFT = 8
#: The rounds' events beside the log, written by a trigger with each event (orders migration
#: 0010: what it holds and why).
ROUND_EVENTS = "orders_round_event"


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _MICRO


def _instant(micros: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=micros)


class _Starts:
    """For one period, which round starts have a computed deadline in it.

    A deadline only moves later with its start (the working calendar's clamp, its n-th working
    day and its working hours all keep order), so the starts whose deadline of ``amount`` in
    ``basis`` falls in ``[start, end)`` are one range ``[lo, hi)`` of instants, found by binary
    search on the calendar (about 40 deadlines for each bound) once per term instead of one
    deadline per round. As :func:`_due`, a start more than :func:`_reach` before the period has
    none."""

    def __init__(self, start: dt.datetime, end: dt.datetime) -> None:
        self.start, self.end = start, end
        self._ranges: dict[tuple[int, str], tuple[int, int]] = {}

    def range(self, amount: int, basis: str) -> tuple[int, int]:
        key = (amount, basis)
        found = self._ranges.get(key)
        if found is None:
            reach = _micros(self.start - _reach(amount, basis))
            lo = max(self._first(amount, basis, self.start), reach)
            hi = max(self._first(amount, basis, self.end), lo)
            found = self._ranges[key] = (lo, hi)
        return found

    @staticmethod
    def _first(amount: int, basis: str, moment: dt.datetime) -> int:
        """The earliest start (epoch µs) whose deadline falls on or after ``moment``."""

        def reaches(micros: int) -> bool:
            due = deadlines.due(_instant(micros), amount, basis)
            return due is not None and due >= moment

        high = _micros(moment)  # a deadline runs after its start
        low = high - _reach(amount, basis) // _MICRO
        while reaches(low):  # _reach is a bound; widen if a calendar ever beats it
            low -= high - low
        while high - low > 1:
            mid = (low + high) // 2
            if reaches(mid):
                high = mid
            else:
                low = mid
        return high


class Counted(NamedTuple):
    """One round in one of the period's two populations: ``contact`` (先行联系率) or ``reply``
    (按时办结率), and whether the unit met that deadline."""

    order_id: int
    unit_id: int
    kpi: str
    met: bool


CONTACT, REPLY = "contact", "reply"


def _sql(vendor: str) -> str:
    """The rounds of the look-back and the period, one row each, from the rounds' events.

    ``orders_round_event`` (migration orders 0010) keeps, beside the log, one narrow row for each
    event a round is made of, with what its payload recorded already read: ``starts`` (a
    hand-over to a unit or a move into ``reopened``), ``judged`` (2 on time, 1 late, 0 not
    judged by the event: the round then goes to :func:`rounds`) and the deadlines a start
    recorded. A window sum numbers each order's rounds (an event belongs to the last round
    started at or before it); one grouped pass then gives each round its start, the unit it counts
    for (the sub-unit it was handed to last), whether a first contact was judged on time and how
    its latest reply was judged, the deadlines its start event recorded, and the start of the
    order's next round (its end). A round that started before ``counted_from`` is left out unless
    its start recorded a deadline or an event of it was not judged: no computed deadline of it can
    fall in the period (it was read for the round before it to end, and for the orders that go to
    :func:`rounds`)."""
    if vendor == "postgresql":
        epoch = "(EXTRACT(EPOCH FROM at) * 1000000)::bigint"
    else:
        # Django keeps UTC without a zone, microseconds after a dot when there are any.
        epoch = (
            "(CAST(strftime('%%s', at) AS INTEGER) * 1000000 "
            "+ CAST(substr(at || '.000000', 21, 6) AS INTEGER))"
        )
    event = Event._meta.db_table
    order = WorkOrder._meta.db_table
    # The order's category and urgency in one number (one index look-up a round, not two).
    urgencies = " ".join(
        f"WHEN '{value}' THEN {i}" for i, value in enumerate(Urgency.values, start=1)
    )
    return f"""
WITH numbered AS (
  SELECT e.order_id, e.seq, e.action, e.at, e.unit_id, e.assigned_unit_id, e.starts, e.judged,
    e.contact_due, e.reply_due,
    SUM(e.starts) OVER (
      PARTITION BY e.order_id ORDER BY e.seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS n
  FROM {ROUND_EVENTS} e
  WHERE e.at >= %(since)s AND e.at < %(end)s
    AND NOT EXISTS (
      SELECT 1 FROM {event} g
      WHERE g.order_id = e.order_id AND g.to_state IN (%(merged)s, %(cancelled)s) AND g.at < %(end)s
    )
), grouped AS (
  SELECT order_id, n,
    MAX(CASE WHEN starts = 1 THEN {epoch} END) AS started,
    MAX(CASE WHEN starts = 1 THEN unit_id END) AS unit_id,
    MAX(CASE WHEN starts = 1 THEN assigned_unit_id END) AS assigned_id,
    MAX(CASE WHEN action IN (%(assign_inside)s, %(hand_back)s)
             AND COALESCE(assigned_unit_id, unit_id) IS NOT NULL
        THEN seq * {_UNIT_SHIFT} + COALESCE(assigned_unit_id, unit_id) END) AS handed,
    MAX(CASE WHEN action = %(first_contact)s THEN judged END) AS contact_best,
    MIN(CASE WHEN action = %(first_contact)s THEN judged END) AS contact_worst,
    MAX(CASE WHEN action = %(reply)s THEN seq * 4 + judged END) AS replied,
    MAX(CASE WHEN starts = 1 THEN contact_due END) AS contact_due,
    MAX(CASE WHEN starts = 1 THEN reply_due END) AS reply_due
  FROM numbered
  WHERE n > 0
  GROUP BY order_id, n
), bounded AS (
  SELECT grouped.*, LEAD(started) OVER (PARTITION BY order_id ORDER BY n) AS ended
  FROM grouped
)
SELECT r.order_id, r.started,
  CASE WHEN r.unit_id IS NOT NULL
    THEN COALESCE(r.handed %% {_UNIT_SHIFT}, r.assigned_id, r.unit_id) END AS unit_id,
  r.contact_best, r.contact_worst, r.replied %% 4 AS replied, r.contact_due, r.reply_due,
  (SELECT COALESCE(o.category_id, 0) * {_URGENCY_SHIFT} + CASE o.urgency {urgencies} ELSE 0 END
   FROM {order} o WHERE o.id = r.order_id) AS term,
  r.ended
FROM bounded r
WHERE r.started >= %(counted_from)s OR r.contact_due IS NOT NULL OR r.reply_due IS NOT NULL
  OR (r.contact_best < 2 AND r.contact_worst = 0) OR r.replied %% 4 = 0
ORDER BY r.order_id, r.n
"""


def _params(since: Any, end: Any, counted_from: int) -> dict[str, Any]:
    """The values :func:`_sql` names: which rounds' events are read (``since``, ``end``, adapted
    for the database), the first start that can be counted (``counted_from``, microseconds), and
    the actions and states its grouping compares (the projection decided the rest)."""
    return {
        "since": since,
        "end": end,
        "counted_from": counted_from,
        "first_contact": Action.FIRST_CONTACT.value,
        "reply": Action.REPLY.value,
        "assign_inside": Action.ASSIGN_INSIDE.value,
        "hand_back": Action.HAND_BACK.value,
        "merged": State.MERGED.value,
        "cancelled": State.CANCELLED.value,
    }


#: Above this many orders left to :func:`rounds`, it reads the whole period once rather than
#: naming them all in one ``IN`` list.
_NAMED_AT_MOST = 2000


#: The urgencies as :func:`_sql` numbers them (0: none of them, as ``Urgency("")`` fails).
_URGENCIES = ["", *Urgency.values]


def populations(start: dt.datetime, end: dt.datetime) -> list[Counted]:
    """Every round in the period's first-contact and on-time reply populations: what
    :func:`rounds` with :func:`contact_counts` and :func:`reply_counts` give, without building
    every round in Python (docs/kpis.md, Cost).

    The rounds come grouped from SQL (:func:`_sql`) from the look-back their deadlines need
    (the earliest start with a deadline in the period, for the longest term in use, plus
    :data:`RECORDED_MARGIN`) instead of :data:`LOOKBACK`; whether a computed deadline falls in
    the period is a comparison of the start with a range found once per term (:class:`_Starts`);
    a deadline is computed only for a round that ended (its order went to another round) before
    the deadline may have passed. Orders with an approved extension (the reply deadline moves to
    what the event recorded) or an event that did not record whether it was on time go through
    :func:`rounds` as before."""
    terms = _Terms()
    starts = _Starts(start, end)
    every = {*terms.rules.values(), *deadlines.FALLBACK.values()}
    earliest = [
        starts.range(amount, term.basis)[0]
        for term in every
        for amount in (term.first_contact, term.reply)
        if amount > 0
    ]
    # Rounds that started before ``counted_from`` and recorded no deadline cannot be counted:
    # SQL leaves them out (they are read only for the next round's start, and to find orders
    # whose events did not record whether they were on time).
    counted_from = _instant(min(earliest)) if earliest else start
    since = counted_from - RECORDED_MARGIN
    extended = set(
        Event.objects.filter(
            action=Action.APPROVE_EXTENSION, at__gte=start - LOOKBACK, at__lt=end
        ).values_list("order_id", flat=True)
    )
    later: set[int] = set(extended)
    result: list[Counted] = []
    period = (_micros(start), _micros(end))
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(connection.vendor),
            _params(
                connection.ops.adapt_datetimefield_value(since),
                connection.ops.adapt_datetimefield_value(end),
                _micros(counted_from),
            ),
        )
        rows = cursor.fetchall()
    # Each (category, urgency)'s terms and the starts whose computed deadlines fall in the period.
    ranges: dict[int, tuple[deadlines.Terms, range, range]] = {}
    for row in rows:
        order_id, started, unit_id, best, worst, replied, contact_due, reply_due, key, ended = row
        if unit_id is None or order_id in later:
            continue
        if (best is not None and best < 2 and worst == 0) or replied == 0:
            later.add(order_id)
            continue
        found = ranges.get(key)
        if found is None:
            category, urgency = divmod(key, _URGENCY_SHIFT)
            term = terms(category or None, _URGENCIES[urgency])
            found = ranges[key] = (
                term,
                # A term of 0 sets no deadline: no start has one in the period.
                range(*starts.range(term.first_contact, term.basis))
                if term.first_contact > 0
                else range(0),
                range(*starts.range(term.reply, term.basis)) if term.reply > 0 else range(0),
            )
        term, contact_starts, reply_starts = found
        if contact_due is not None:
            counts = _recorded(contact_due, period, ended, term.first_contact, term.basis, started)
        else:
            counts = started in contact_starts and (
                ended is None or _held(started, ended, term.first_contact, term.basis)
            )
        if counts:
            result.append(Counted(order_id, unit_id, CONTACT, best == 2))
        # A round replied and then reopened (a new round) before its deadline still counts.
        held = replied is not None or ended is None
        if reply_due is not None:
            counts = _recorded(reply_due, period, ended, term.reply, term.basis, started, held)
        else:
            counts = started in reply_starts and (
                held or _held(started, ended, term.reply, term.basis)
            )
        if counts:
            result.append(Counted(order_id, unit_id, REPLY, replied == 2))
    if later:
        result = [c for c in result if c.order_id not in later]
        named = later if len(later) <= _NAMED_AT_MOST else None
        for round_ in rounds(start, end, order_ids=named, terms=terms):
            if round_.order_id not in later:
                continue
            if contact_counts(round_, start, end):
                result.append(
                    Counted(round_.order_id, round_.unit_id, CONTACT, round_.contacted_on_time)
                )
            if reply_counts(round_, start, end):
                result.append(
                    Counted(round_.order_id, round_.unit_id, REPLY, bool(round_.replied_on_time))
                )
    return result


def _held(started: int, ended: int | None, amount: int, basis: str) -> bool:
    """Whether a round (epoch µs) still had the order when its computed deadline came."""
    if ended is None:
        return True
    due = deadlines.due(_instant(started), amount, basis)
    return due is not None and ended > _micros(due)


def _recorded(
    recorded: str,
    period: tuple[int, int],
    ended: int | None,
    amount: int,
    basis: str,
    started: int,
    held: bool = False,
) -> bool:
    """Whether a round is in a population by the deadline its start recorded (if it parses,
    else as computed), as :func:`contact_counts` and :func:`reply_counts` with :func:`rounds`."""
    due = _moment(recorded)
    if due is None:
        due = _due(_instant(started), amount, basis, _instant(period[0]))
        if due is None:
            return False
    at = _micros(due)
    return period[0] <= at < period[1] and (held or ended is None or ended > at)


def contact_counts(round_: Round, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether the round is in the period's first-contact population."""
    due = round_.contact_due
    return due is not None and start <= due < end and round_.held_at(due)


def reply_counts(round_: Round, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether the round is in the period's on-time reply population."""
    due = round_.reply_due
    # A round replied and then reopened (a new round) before its deadline still counts.
    replied = round_.replied_on_time is not None
    return due is not None and start <= due < end and (replied or round_.held_at(due))
