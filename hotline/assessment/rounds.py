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

Three queries whatever the number of units: the events from ``LOOKBACK`` before the period to
its end (merged/cancelled orders left out; a round that started earlier is never seen), the
categories and the deadline rules. A deadline is computed only for a round that started recently
enough for it to fall in the period (:func:`_reach`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.dateparse import parse_datetime

from hotline.orders.models import Action, Event, State
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
    start: dt.datetime, end: dt.datetime, *, order_ids: Collection[int] | None = None
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
    terms = None
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
