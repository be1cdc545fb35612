"""The demo district's orders: three months of believable work orders, each with a real history.

:func:`load_orders` runs as a :data:`hotline.org.demo.LOAD_HOOKS` hook after the district exists
(registered by :class:`hotline.orders.apps.OrdersConfig`). Every order is made **only through**
:mod:`hotline.orders.actions`, each call with ``now=`` set to a plausible moment in the past, so
every order has a real event trail and every derived column (deadlines, overdue, reopen count …)
is what the product itself computed. Nothing here writes an order column directly.

How it works:

1. **Plan** (pure Python, one ``random.Random(seed)``): registration moments over the 91 days before
   ``end`` (calls 8:00–21:00 mostly, weekdays heavier than weekends and holidays), a request per
   order from :mod:`hotline.orders.demo_texts` (category, kind, real roads and estates of the demo
   district, a citizen — some calling repeatedly), the lead unit (the category's default unit, or
   the street of the address) and a *target* state drawn by the order's age: young orders are
   mostly open, old ones closed, with stragglers (overdue, reopened, waiting for a callback).
   Every state is guaranteed at least ``max(1, count // 400)`` orders so small loads show them all.
2. **Live** each order in registration order: the actions happen one after the other, with delays
   inside working hours for units (the SLA calendar's) and 8:00–21:00 for the hotline centre;
   deadlines come from the order itself (e.g. a late reply is preceded by the overdue mark, an
   extension is asked for before the reply deadline). No moment is ever after ``end``: a step that
   would be is squeezed in before it.

Deterministic for a given ``seed``, ``count`` and ``end`` (and settings): same numbers, titles,
states and event times.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from hotline import clock
from hotline.orders import actions
from hotline.orders import demo_texts as texts
from hotline.orders.models import (
    AT_UNIT_STATES,
    Attachment,
    Channel,
    ContactWay,
    DailyCounter,
    Event,
    Kind,
    ReplyResult,
    Satisfaction,
    State,
    WorkOrder,
)
from hotline.org import demo_district as district
from hotline.org.models import Category, Unit, User
from hotline.sla import deadlines
from hotline.sla.calendar import WorkingCalendar, get_calendar
from hotline.sla.models import Basis, DeadlineRule, Urgency

__all__ = ["DAYS", "load_orders", "purge_orders", "state_counts"]

Progress = Callable[[str], None]
K = TypeVar("K")

#: How far back the demo history reaches (calendar days before ``end``).
DAYS = 91
PROGRESS_EVERY = 500

# Calls per hour of the day (relative): the lines are busiest mid-morning and mid-afternoon.
_HOUR_WEIGHTS = (
    0.04, 0.03, 0.02, 0.02, 0.02, 0.03, 0.08, 0.3, 0.9, 1.4, 1.5, 1.25,
    0.8, 1.1, 1.4, 1.4, 1.3, 1.0, 0.7, 0.6, 0.5, 0.25, 0.12, 0.06,
)  # fmt: skip
_WEEKEND_WEIGHT = 0.6  # any non-working day (weekends, statutory holidays)
# Kinds of request (then a template of that kind by its weight): consultations lead.
_KINDS = {
    Kind.CONSULTATION: 30,
    Kind.HELP: 24,
    Kind.COMPLAINT: 27,
    Kind.REPORT: 9,
    Kind.SUGGESTION: 6,
    Kind.PRAISE: 4,
}
_CHANNELS = {Channel.PHONE: 78, Channel.WEB: 9, Channel.APP: 9, Channel.API: 4}
_URGENCY = {Urgency.NORMAL: 84, Urgency.URGENT: 12, Urgency.CRITICAL: 4}
_URGENCY_HOT = {Urgency.NORMAL: 45, Urgency.URGENT: 35, Urgency.CRITICAL: 20}
_RESULTS = {ReplyResult.RESOLVED: 62, ReplyResult.EXPLAINED: 30, ReplyResult.UNRESOLVABLE: 8}
_RESULTS_CONSULTATION = {ReplyResult.EXPLAINED: 85, ReplyResult.RESOLVED: 15}
_RESULTS_BEFORE_REOPEN = {
    ReplyResult.RESOLVED: 30,
    ReplyResult.EXPLAINED: 50,
    ReplyResult.UNRESOLVABLE: 20,
}
_SATISFACTION = {
    ReplyResult.RESOLVED: {"satisfied": 82, "basically_satisfied": 14, "dissatisfied": 4},
    ReplyResult.EXPLAINED: {"satisfied": 48, "basically_satisfied": 36, "dissatisfied": 16},
    ReplyResult.UNRESOLVABLE: {"satisfied": 15, "basically_satisfied": 40, "dissatisfied": 45},
}

# The target state of a dispatched order by its age in working days (scaled by how fast its
# deadline policy runs): the first row whose bound is >= the age applies.
_BY_AGE: tuple[tuple[float, dict[State, float]], ...] = (
    (
        0.0,
        {
            State.REGISTERED: 12,
            State.DISPATCHED: 28,
            State.ACCEPTED: 42,
            State.RETURNED: 6,
            State.REPLIED: 8,
            State.REVIEWED: 4,
        },
    ),
    (
        1.0,
        {
            State.REGISTERED: 2,
            State.DISPATCHED: 8,
            State.ACCEPTED: 50,
            State.RETURNED: 5,
            State.REPLIED: 15,
            State.REVIEWED: 10,
            State.CLOSED: 10,
        },
    ),
    (
        3.0,
        {
            State.DISPATCHED: 1,
            State.ACCEPTED: 30,
            State.RETURNED: 2,
            State.REPLIED: 10,
            State.REVIEWED: 12,
            State.REOPENED: 3,
            State.CLOSED: 42,
        },
    ),
    (
        6.0,
        {
            State.ACCEPTED: 10,
            State.REPLIED: 3,
            State.REVIEWED: 6,
            State.REOPENED: 4,
            State.CLOSED: 77,
        },
    ),
    (
        12.0,
        {State.ACCEPTED: 4, State.REVIEWED: 2, State.REOPENED: 3, State.CLOSED: 91},
    ),
    (
        float("inf"),
        {State.ACCEPTED: 0.8, State.REVIEWED: 0.2, State.REOPENED: 0.5, State.CLOSED: 98.5},
    ),
)
# How much faster (>1) or slower (<1) than the five-working-day standard a policy runs.
_POLICY_PACE = {district.CONSULT: 2.0, district.STANDARD: 1.0, district.COMPLEX: 0.4}
_HOURS_PACE = 3.0  # urgent, critical and emergency orders count wall-clock hours

# Plausible first dispatches that turn out wrong (the unit returns them): unit → look-alikes.
_CONFUSED_WITH: dict[str, tuple[str, ...]] = {
    "jgw": ("lhsrj", "cgzfj"),
    "lhsrj": ("cgzfj", "jgw"),
    "cgzfj": ("lhsrj", district.STREET),
    "fgj": (district.STREET, "jazy"),
    "sthjj": ("cgzfj", "scjgj"),
    "scjgj": ("sww", "wjw"),
    "sww": ("scjgj",),
    "jjzd": ("jgw", "cgzfj"),
    "rsj": ("zgh", "ybj"),
    "ybj": ("rsj", "wjw"),
    "wjw": ("scjgj", "ybj"),
    "mzj": (district.STREET, "cl"),
    "zlsb": ("swuj",),
    "swuj": ("zlsb", "jgw"),
    "dzrq": ("rqsb",),
    "rqsb": ("dzrq",),
    "sbgd": ("jgw",),
    "dxja": ("ydja",),
    "ydja": ("dxja",),
    "gafj": (district.STREET, "cgzfj"),
    "xfzd": (district.STREET, "yjglj"),
    "jyj": ("rsj",),
    "whlyj": ("tyj", "sww"),
    "tyj": ("whlyj", district.STREET),
    "xzfwzx": ("dqb",),
}
_ROLE_USERNAMES = ("operator", "dispatcher", "callback", "supervisor")


def _silent(message: str) -> None:
    pass


# --- public API ---------------------------------------------------------------------------------


def load_orders(
    progress: Progress = _silent,
    *,
    seed: int = 12345,
    count: int | None = None,
    end: dt.datetime | dt.date | None = None,
) -> None:
    """Create ``count`` demo orders (default ``settings.DEMO_ORDERS``, 3000) over the 91 days
    before ``end`` (default: now in the hotline's time zone; a date means the end of that day).

    Needs the demo district (:func:`hotline.org.demo.load_district`). Runs in one transaction;
    notifications of these backdated events are discarded (see :func:`_discard_notifications`).
    Ends by reporting the number of orders per state through ``progress``.
    """
    count = settings.DEMO_ORDERS if count is None else count
    if count <= 0:
        return
    cutoff = _cutoff(end)
    with transaction.atomic():
        pending_callbacks = len(connection.run_on_commit)
        org = _Org.load()
        calendar = get_calendar()
        plans = _Planner(random.Random(seed), org, calendar, cutoff, count).plan()
        first = plans[0].at.astimezone(_tz())
        progress(f"Creating {count} demo orders from {first:%Y-%m-%d} to {cutoff:%Y-%m-%d %H:%M} …")
        orders: dict[int, WorkOrder] = {}
        for i, plan in enumerate(plans, start=1):
            parent = orders[plan.parent] if plan.parent is not None else None
            orders[plan.seq] = _Life(org, calendar, plan, cutoff, parent).run()
            if i % PROGRESS_EVERY == 0 and i < count:
                progress(f"  {i} of {count} orders …")
        _discard_notifications(pending_callbacks)
    counts = state_counts()
    progress(
        f"Demo orders: {sum(counts.values())} ("
        + ", ".join(f"{state} {counts[state]}" for state in State if counts.get(state))
        + ")."
    )


def state_counts() -> dict[str, int]:
    """The number of orders per state (states without orders are left out)."""
    return dict(Counter(WorkOrder.objects.values_list("state", flat=True)))


def purge_orders(progress: Progress = _silent) -> None:
    """Remove every order, event, attachment and daily counter: the demo reset's hook.

    This is the **only sanctioned way to remove events**, and it exists only for ``hotline demo
    --reset`` (:data:`hotline.org.demo.RESET_HOOKS`); the product never deletes orders or events.
    Events are append-only — the model refuses ``delete()`` and on PostgreSQL a trigger refuses
    row deletes — so the tables are emptied with raw SQL: ``TRUNCATE`` on PostgreSQL (not a row
    operation, so the trigger lets it pass), ``DELETE FROM`` in dependency order on SQLite.
    Rows of other apps that point at an order, an event or an attachment (reviews of sampled
    orders, appeals …) are emptied with them: they cannot outlive what they point at, and
    PostgreSQL refuses to ``TRUNCATE`` a table that a table left out of the statement references.
    Uploaded attachment files are deleted once the transaction commits.
    """
    progress("Deleting orders, events and attachments …")
    storage = Attachment._meta.get_field("file").storage
    files = [name for name in Attachment.objects.values_list("file", flat=True) if name]
    tables = [
        *_tables_pointing_at_orders(),
        Attachment._meta.db_table,
        Event._meta.db_table,
        WorkOrder.co_units.through._meta.db_table,
        WorkOrder._meta.db_table,
        DailyCounter._meta.db_table,
    ]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows written earlier in this transaction leave deferred foreign-key checks pending,
            # and TRUNCATE refuses a table with pending trigger events: run the checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in tables))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # Children first; the self-reference (merged into) goes with the table in one go.
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")

        def delete_files() -> None:
            for name in files:
                storage.delete(name)

        transaction.on_commit(delete_files)


# --- internals ----------------------------------------------------------------------------------


def _tables_pointing_at_orders() -> list[str]:
    """Other apps' tables with a foreign key to an order, an event or an attachment."""
    own = {WorkOrder, Event, Attachment, DailyCounter, WorkOrder.co_units.through}
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model in own or model._meta.proxy or not model._meta.managed:
            continue
        if any(
            f.is_relation and f.many_to_one and f.related_model in own
            for f in model._meta.concrete_fields
        ):
            found.append(model._meta.db_table)
    return sorted(found)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _cutoff(end: dt.datetime | dt.date | None) -> dt.datetime:
    tz = _tz()
    if end is None:
        return clock.local_now().astimezone(tz).replace(microsecond=0)
    if isinstance(end, dt.datetime):
        moment = end if end.tzinfo is not None else end.replace(tzinfo=tz)
        return moment.astimezone(tz).replace(microsecond=0)
    return dt.datetime.combine(end, dt.time(23, 59, 59), tz)


def _discard_notifications(mark: int) -> None:
    """Drop the on-commit notifications the load queued (entries after ``mark``).

    The demo's events are history: telling units now, by SMS or e-mail with a real adapter
    configured, about thousands of dispatches from the past three months would be wrong (and
    slow). Must run inside the load's own transaction, before it commits.
    """
    del connection.run_on_commit[mark:]


def _pick(rng: random.Random, weights: Mapping[K, float]) -> K:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@dataclass
class _Org:
    """The demo district's rows, loaded once: no per-order lookups."""

    units: dict[str, Unit]
    categories: dict[str, Category]
    users: dict[str, User]
    policy_of: dict[str, str]
    default_unit_of: dict[str, str]

    @classmethod
    def load(cls) -> _Org:
        units = {u.code: u for u in Unit.objects.all()}
        categories = {
            c.code: c
            for c in Category.objects.select_related(
                "parent__parent",
                "deadline_policy",
                "parent__deadline_policy",
                "parent__parent__deadline_policy",
            )
        }
        handlers = [district.unit_handler_username(u.code) for u in district.HANDLING_UNITS]
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[*_ROLE_USERNAMES, *handlers]).select_related(
                "unit"
            )
        }
        _answer_rules_from_memory(categories.values())
        rows = {r.code: r for r in district.flat_categories()}
        missing = sorted(
            {t.category for t in texts.TEMPLATES} - set(categories)
            | {u.code for u in district.HANDLING_UNITS} - set(units)
            | set(_ROLE_USERNAMES) - set(users)
        )
        if missing:
            raise ValueError(
                "Demo orders need the demo district (hotline demo); missing: "
                + ", ".join(missing[:8])
            )
        return cls(
            units=units,
            categories=categories,
            users=users,
            policy_of={code: row.policy for code, row in rows.items()},
            default_unit_of={code: row.default_unit for code, row in rows.items()},
        )

    def handler(self, unit_code: str) -> User:
        return self.users[district.unit_handler_username(unit_code)]


def _answer_rules_from_memory(categories: Iterable[Category]) -> None:
    """Let these categories' policies answer ``rule_for`` from one query's worth of rules.

    :func:`hotline.sla.deadlines.terms_for` asks ``policy.rule_for(urgency)`` at every dispatch,
    reply approval and reopen, one query each; the demo asks it thousands of times. The answer is
    the same rule row, so the loaded policy objects get an in-memory ``rule_for``.
    """
    rules = {(r.policy_id, r.urgency): r for r in DeadlineRule.objects.all()}
    for category in categories:
        policy = category.effective_deadline_policy
        if policy is not None:
            policy.rule_for = partial(_rule, rules, policy.pk)


def _rule(
    rules: dict[tuple[int, str], DeadlineRule], policy_id: int, urgency: str
) -> DeadlineRule | None:
    return rules.get((policy_id, urgency))


@dataclass
class _Person:
    name: str
    phone: str
    home: tuple[district.Street, district.Neighbourhood, str] | None = None


@dataclass
class _Plan:
    seq: int
    rng: random.Random
    at: dt.datetime
    template: texts.Template
    kind: str
    urgency: str
    channel: str
    person: _Person
    email: str
    anonymous: bool
    address: str
    street: str | None
    community: str | None
    values: dict[str, str]
    title: str
    description: str
    lead: str
    co_units: tuple[str, ...]
    age: float
    variant: int  # which of the template's details (and paired title, answer)
    target: State = State.CLOSED
    wrong: str | None = None
    parent: int | None = None
    flags: set[str] = field(default_factory=set)
    extension: str = ""  # "", "approved", "rejected", "pending"
    locked: bool = False  # chosen to fill a state's quota: not to be taken again

    @property
    def dispatched_path(self) -> bool:
        return self.target not in (State.ANSWERED, State.MERGED, State.CANCELLED)


class _Planner:
    def __init__(
        self,
        rng: random.Random,
        org: _Org,
        calendar: WorkingCalendar,
        cutoff: dt.datetime,
        count: int,
    ) -> None:
        self.rng, self.org, self.calendar, self.cutoff, self.count = (
            rng,
            org,
            calendar,
            cutoff,
            count,
        )
        self.tz = _tz()
        self.first_day = cutoff.astimezone(self.tz).date() - dt.timedelta(days=DAYS)
        days = [self.first_day + dt.timedelta(days=i) for i in range(DAYS + 1)]
        self.workday = {day: calendar.is_workday(day) for day in days}
        running, self.workdays_to = 0, {}
        for day in days:
            running += self.workday[day]
            self.workdays_to[day] = running
        self.estates = [
            (street, nb, estate)
            for street in district.STREETS
            for nb in street.neighbourhoods
            for estate in nb.estates
        ]
        self.regulars = [self._new_person(home=True) for _i in range(max(3, count // 60))]

    # --- the plan ---------------------------------------------------------------------------

    def plan(self) -> list[_Plan]:
        by_kind: dict[str, list[texts.Template]] = {}
        for template in texts.TEMPLATES:
            by_kind.setdefault(template.kind, []).append(template)
        plans = []
        for seq, at in enumerate(self._registration_times()):
            options = by_kind[_pick(self.rng, _KINDS)]
            template = self.rng.choices(options, weights=[t.weight for t in options])[0]
            plans.append(self._order(seq, at, template))
        self._duplicates(plans)
        self._quotas(plans)
        return plans

    def _registration_times(self) -> list[dt.datetime]:
        cutoff = self.cutoff.astimezone(self.tz)
        slots: list[dt.datetime] = []
        weights: list[float] = []
        for i in range(DAYS + 1):
            day = self.first_day + dt.timedelta(days=i)
            day_weight = 1.0 if self.workday[day] else _WEEKEND_WEIGHT
            for hour in range(24):
                start = dt.datetime.combine(day, dt.time(hour), self.tz)
                if start >= cutoff:
                    break
                share = min(1.0, (cutoff - start) / dt.timedelta(hours=1))
                slots.append(start)
                weights.append(day_weight * _HOUR_WEIGHTS[hour] * share)
        times = []
        for start in self.rng.choices(slots, weights=weights, k=self.count):
            span = min(3600.0, (cutoff - start).total_seconds())
            times.append(start + dt.timedelta(seconds=int(self.rng.random() * span)))
        return sorted(times)

    def _order(self, seq: int, at: dt.datetime, template: texts.Template) -> _Plan:
        rng = self.rng
        channel = _pick(rng, _CHANNELS)
        person = rng.choice(self.regulars) if rng.random() < 0.1 else self._new_person()
        if template.category.startswith("smly-yshj"):
            person = _Person(person.name[0] + rng.choice(("经理", "总")), person.phone)
        anonymous = rng.random() < 0.04
        values, address, street, community = self._where(template.where, person)
        kind = template.kind
        if kind == "consultation":
            urgency = Urgency.NORMAL
        else:
            urgency = _pick(rng, _URGENCY_HOT if template.hot else _URGENCY)
        variant = rng.randrange(len(template.details))
        title = _paired(rng, template.titles, template, variant).format_map(values)
        description = self._description(template, variant, channel, values, at)
        default = self.org.default_unit_of[template.category]
        lead = street if default == district.STREET else default
        assert lead is not None, f"{template.category} routes by street but has no address"
        co = self._co_units(template, lead, street) if rng.random() < 0.25 else ()
        email = ""
        if channel == Channel.WEB and rng.random() < 0.5:
            email = f"{rng.randint(10**7, 10**10)}@{rng.choice(('qq.com', '163.com'))}"
        plan = _Plan(
            seq=seq,
            rng=random.Random(rng.getrandbits(64)),
            at=at,
            template=template,
            kind=kind,
            urgency=urgency,
            channel=channel,
            person=person,
            email=email,
            anonymous=anonymous,
            address=address,
            street=street,
            community=community,
            values=values,
            title=title,
            description=description,
            lead=lead,
            co_units=co,
            age=self._age(at, template, urgency),
            variant=variant,
        )
        self._fate(plan)
        return plan

    def _fate(self, plan: _Plan) -> None:
        rng = self.rng
        template = plan.template
        if template.kind == "praise":
            plan.target = State.ANSWERED
            return
        if template.answer and rng.random() < (0.8 if plan.channel == Channel.PHONE else 0.6):
            plan.target = State.ANSWERED
            return
        if rng.random() < 0.015:
            plan.target = State.CANCELLED
            if rng.random() < 0.25:
                plan.flags.add("cancel_after_dispatch")
            return
        self._dispatched_fate(plan, rng)

    def _dispatched_fate(self, plan: _Plan, rng: random.Random) -> None:
        row = next(weights for bound, weights in _BY_AGE if plan.age <= bound)
        plan.target = _pick(rng, row)
        self._flags(plan, rng)

    def _flags(self, plan: _Plan, rng: random.Random) -> None:
        plan.flags.clear()
        plan.wrong = None
        plan.extension = ""
        roll = rng.random()
        if roll < 0.05:
            plan.wrong = self._confused(plan.lead, plan.street)
        elif roll < 0.065:
            plan.flags.add("reject_return")
        if rng.random() < 0.12:
            plan.flags.add("no_contact")
        roll = rng.random()
        if roll < 0.04:
            plan.extension = "approved"
        elif roll < 0.055:
            plan.extension = "rejected"
        elif plan.target in (State.ACCEPTED, State.REOPENED) and plan.age <= 6 and roll < 0.2:
            plan.extension = "pending"
        for flag, chance in (
            ("urge", 0.08),
            ("late", 0.07),
            ("supervise", 0.3),
            ("reject_reply", 0.04),
            ("unreachable", 0.04),
        ):
            if rng.random() < chance:
                plan.flags.add(flag)
        if plan.target == State.REOPENED or (plan.target == State.CLOSED and rng.random() < 0.06):
            plan.flags.add("reopen")

    def _duplicates(self, plans: list[_Plan]) -> None:
        """About 3% of orders repeat an open request of the days before: merged into it."""
        for plan in plans:
            if plan.dispatched_path and not plan.locked and self.rng.random() < 0.03:
                parent = self._parent_for(plans, plan)
                if parent is not None:
                    self._make_duplicate(plan, parent)

    def _parent_for(self, plans: Sequence[_Plan], plan: _Plan) -> _Plan | None:
        candidates = [
            p
            for p in plans[max(0, plan.seq - 400) : plan.seq]
            if p.dispatched_path
            and p.target != State.REGISTERED
            and plan.at - dt.timedelta(days=3) <= p.at < plan.at - dt.timedelta(minutes=10)
        ]
        return self.rng.choice(candidates) if candidates else None

    def _make_duplicate(self, plan: _Plan, parent: _Plan) -> None:
        rng = self.rng
        template = parent.template
        person = parent.person if rng.random() < 0.5 else self._new_person()
        plan.template, plan.kind, plan.urgency = template, parent.kind, parent.urgency
        plan.person, plan.anonymous = person, parent.anonymous and person is parent.person
        plan.address, plan.street, plan.community = parent.address, parent.street, parent.community
        plan.values, plan.lead, plan.co_units = parent.values, parent.lead, ()
        plan.variant = parent.variant  # the same problem, told again
        plan.title = _paired(rng, template.titles, template, plan.variant).format_map(plan.values)
        plan.description = self._description(
            template, plan.variant, plan.channel, plan.values, plan.at
        ) + rng.choice(texts.DUPLICATE_NOTES)
        plan.target, plan.parent, plan.wrong = State.MERGED, parent.seq, None
        plan.flags = {"merge_after_dispatch"} if rng.random() < 0.3 else set()
        parent.locked = True  # a parent must never become merged or cancelled itself

    def _quotas(self, plans: list[_Plan]) -> None:
        """Every state at least ``max(1, count // 400)`` times, taking young orders first."""
        floor = max(1, self.count // 400)
        counts = Counter(p.target for p in plans)
        youngest_first = sorted(plans, key=lambda p: p.at, reverse=True)
        for state in State:
            for _i in range(floor - counts[state]):
                chosen = self._quota_candidate(youngest_first, plans, state, counts, floor)
                if chosen is None:
                    break
                counts[chosen.target] -= 1
                counts[state] += 1
                chosen.locked = True
        if not any(p.extension == "pending" for p in plans):
            # One unit still waiting for a decision on its extension request.
            waiting = [p for p in youngest_first if p.target == State.ACCEPTED]
            if waiting:
                waiting[0].extension = "pending"

    def _quota_candidate(
        self,
        youngest_first: list[_Plan],
        plans: list[_Plan],
        state: State,
        counts: Counter[State],
        floor: int,
    ) -> _Plan | None:
        order = youngest_first if state != State.CLOSED else list(reversed(youngest_first))
        for plan in order:
            if plan.locked or counts[plan.target] <= floor or plan.target == State.MERGED:
                continue
            if state == State.ANSWERED:
                if not plan.template.answer:
                    continue
                plan.target = state
            elif state == State.MERGED:
                if not plan.dispatched_path:
                    continue
                parent = self._parent_for(plans, plan)
                if parent is None:
                    continue
                self._make_duplicate(plan, parent)
            elif state == State.CANCELLED:
                plan.target, plan.flags = state, set()
            else:
                if plan.target == State.ANSWERED and plan.template.kind == "praise":
                    continue
                plan.target = state
                self._flags(plan, plan.rng)
            return plan
        return None

    # --- pieces of a plan -------------------------------------------------------------------

    def _age(self, at: dt.datetime, template: texts.Template, urgency: str) -> float:
        """Working days from registration to the cutoff, scaled by the policy's pace."""
        day = at.astimezone(self.tz).date()
        age = self.workdays_to[self.cutoff.astimezone(self.tz).date()] - self.workdays_to[day]
        policy = self.org.policy_of[template.category]
        if policy == district.EMERGENCY or urgency != Urgency.NORMAL:
            return age * _HOURS_PACE
        return age * _POLICY_PACE.get(policy, 1.0)

    def _new_person(self, home: bool = False) -> _Person:
        rng = self.rng
        surname = rng.choice(texts.SURNAMES)
        roll = rng.random()
        if roll < 0.6:
            name = surname + rng.choice(("先生", "女士"))
        elif roll < 0.9:
            name = surname + "".join(rng.choices(texts.GIVEN, k=rng.choice((1, 2, 2))))
        else:
            name = surname + rng.choice(("阿姨", "老师", "师傅"))
        if rng.random() < 0.85:
            phone = rng.choice(texts.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        else:
            phone = f"021-{rng.choice('3456')}{rng.randrange(10**7):07d}"
        return _Person(name, phone, rng.choice(self.estates) if home else None)

    def _where(
        self, where: str, person: _Person
    ) -> tuple[dict[str, str], str, str | None, str | None]:
        """Placeholder values, the address, and the street and neighbourhood codes it lies in."""
        rng = self.rng
        if where == texts.ESTATE and person.home is not None:
            street, nb, estate = person.home
        else:
            street, nb, estate = rng.choice(self.estates)
        road = rng.choice(street.roads)
        road2 = rng.choice([r for r in street.roads if r != road])
        building, room = rng.randint(1, 40), rng.randint(1, 18) * 100 + rng.randint(1, 4)
        number = rng.randint(1, 1600)
        values = {
            "estate": estate,
            "road": road,
            "road2": road2,
            "street": street.name,
            "since": rng.choice(texts.SINCE),
            "time": rng.choice(texts.TIMES),
            "n": str(rng.randint(2, 6)),
            "shop": rng.choice(texts.SHOP_PREFIX) + rng.choice(texts.SHOP_KIND),
            "gym": rng.choice(texts.GYM_PREFIX) + rng.choice(texts.GYM_KIND),
            "company": f"上海{rng.choice(texts.COMPANY_A)}{rng.choice(texts.COMPANY_B)}有限公司",
            "bus": rng.choice(texts.BUS_ROUTES),
            "plate": "沪"
            + rng.choice("ABDEFGHJKL")
            + "·"
            + "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", k=5)),
            "money": str(rng.choice((800, 1500, 2680, 3000, 4999, 6800, 12000, 26000))),
        }
        if where == texts.ESTATE:
            if rng.random() < 0.5:
                address = f"静安区{street.name}{estate} {building} 号楼 {room} 室"
            else:
                lane = rng.randint(1, 1500)
                address = f"静安区{road} {lane} 弄（{estate}）{building} 号 {room} 室"
            values.update(addr=address, place=f"{estate} {building} 号楼")
            return values, address, street.code, nb.code
        if where == texts.ROAD:
            roll = rng.random()
            if roll < 0.6:
                address = f"静安区{road} {number} 号"
            elif roll < 0.8:
                address = f"静安区{road}{road2}路口"
            else:
                address = f"静安区{road} {number} 弄 {rng.randint(1, 60)} 号"
            values.update(addr=address, place=f"{road} {number} 号")
            return values, address, street.code, None
        values.update(addr=f"静安区{road}", place=road)
        return values, "", None, None

    def _description(
        self,
        template: texts.Template,
        variant: int,
        channel: str,
        values: dict[str, str],
        at: dt.datetime,
    ) -> str:
        rng = self.rng
        filled = dict(values, date=_day(at))
        detail = template.details[variant].format_map(filled)
        want = rng.choice(template.wants).format_map(filled)
        prefix = rng.choice(texts.PREFIX_BY_CHANNEL.get(channel, texts.PREFIX_BY_CHANNEL["phone"]))
        text = f"{prefix}{detail}{rng.choice(texts.WANT_PREFIX)}{want}"
        return text if channel == Channel.PHONE else text.replace("来电人", "市民")

    def _co_units(self, template: texts.Template, lead: str, street: str | None) -> tuple[str, ...]:
        codes = []
        for code in template.co_units:
            unit = street if code == district.STREET else code
            if unit and unit != lead and unit not in codes:
                codes.append(unit)
        if len(codes) > 1 and self.rng.random() < 0.6:
            codes = [self.rng.choice(codes)]
        return tuple(codes)

    def _confused(self, lead: str, street: str | None) -> str:
        streets = [s.code for s in district.STREETS]
        if lead in streets:
            # The neighbouring street, or the bureau people think of first.
            options = [s for s in streets if s != lead] + ["cgzfj", "fgj"]
        else:
            options = list(_CONFUSED_WITH.get(lead, (district.STREET,)))
        choice = self.rng.choice(options)
        if choice == district.STREET:
            choice = street or self.rng.choice(streets)
        if choice == lead:
            choice = next(s for s in streets if s != lead)
        return choice


def _paired(
    rng: random.Random, options: Sequence[str], template: texts.Template, variant: int
) -> str:
    """The option that goes with the chosen detail, when each detail has its own."""
    if len(options) == len(template.details):
        return options[variant]
    return rng.choice(options)


def _day(moment: dt.datetime) -> str:
    local = moment.astimezone(_tz())
    return f"{local.month}月{local.day}日"


class _Life:
    """One order's history, action by action, never past the cutoff."""

    def __init__(
        self,
        org: _Org,
        calendar: WorkingCalendar,
        plan: _Plan,
        cutoff: dt.datetime,
        parent: WorkOrder | None,
    ) -> None:
        self.org, self.calendar, self.plan, self.cutoff, self.parent = (
            org,
            calendar,
            plan,
            cutoff,
            parent,
        )
        self.rng = plan.rng
        self.t = plan.at
        self.tz = _tz()
        self.category = org.categories[plan.template.category]
        self.wall_clock = deadlines.terms_for(self.category, plan.urgency).basis == Basis.HOURS
        self.operator = org.users["operator"]
        self.dispatcher = org.users["dispatcher"]
        self.callback_agent = org.users["callback"]
        self.supervisor = org.users["supervisor"]
        self.order: WorkOrder

    # --- time -------------------------------------------------------------------------------

    def _go(self, candidate: dt.datetime) -> dt.datetime:
        """Move the clock to ``candidate``: never back, never past the cutoff (squeezed in)."""
        when = self._peek(candidate)
        self.t = when
        return when

    def _peek(self, candidate: dt.datetime) -> dt.datetime:
        if candidate > self.cutoff:
            candidate = self.t + (self.cutoff - self.t) * self.rng.uniform(0.1, 0.5)
        return max(self.t, candidate.replace(microsecond=0))

    def _centre(self, low_minutes: float, high_minutes: float) -> dt.datetime:
        """The hotline centre's next moment: staff work 8:00–21:00 every day."""
        delay = dt.timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))
        moment = (self.t + delay).astimezone(self.tz)
        if moment.hour < 8 or moment.hour >= 21:
            day = moment.date() + dt.timedelta(days=1 if moment.hour >= 21 else 0)
            opening = dt.datetime.combine(day, dt.time(8), self.tz)
            moment = opening + dt.timedelta(minutes=self.rng.uniform(0, 90))
        return moment

    def _unit(self, low_hours: float, high_hours: float) -> dt.datetime:
        """A handling unit's next moment: within working hours, or around the clock for orders
        whose deadlines count wall-clock hours (urgent ones, emergencies)."""
        hours = self.rng.uniform(low_hours, high_hours)
        if self.wall_clock:
            return self.t + dt.timedelta(hours=hours * 0.3)
        return self.calendar.add_working_hours(self.t, hours)

    def _text(self, options: Sequence[str], **extra: str) -> str:
        values = dict(self.plan.values, date=_day(self.t), **extra)
        return self.rng.choice(options).format_map(values)

    # --- the story --------------------------------------------------------------------------

    def run(self) -> WorkOrder:
        plan = self.plan
        self.order = actions.register(
            self.operator if plan.channel == Channel.PHONE else None,
            title=plan.title,
            description=plan.description,
            channel=plan.channel,
            citizen_name="" if plan.anonymous else plan.person.name,
            citizen_phone=plan.person.phone,
            citizen_email=plan.email,
            anonymous=plan.anonymous,
            address=plan.address,
            street=self.org.units[plan.street] if plan.street else None,
            community=self.org.units[plan.community] if plan.community else None,
            category=self.category,
            urgency=plan.urgency,
            kind=plan.kind,
            now=plan.at,
        )
        if plan.target == State.ANSWERED:
            when = self._centre(1, 8) if plan.channel == Channel.PHONE else self._centre(10, 240)
            self._go(when)
            actions.answer(self.order, self.operator, text=self._answer(), now=self.t)
        elif plan.target == State.CANCELLED:
            self._cancel()
        elif plan.target == State.MERGED:
            self._merge()
        elif plan.target != State.REGISTERED:
            self._handle()
        self._finish()
        return self.order

    def _answer(self) -> str:
        template = self.plan.template
        if template.answer:
            answer = _paired(self.rng, template.answer, template, self.plan.variant)
            return self._text((answer,))
        return self._text(template.explained or texts.GENERIC_REPLIES["explained"])

    def _cancel(self) -> None:
        reasons: Sequence[str] = texts.CANCEL_REASONS
        if "cancel_after_dispatch" in self.plan.flags:
            self._dispatch(self.plan.lead, ())
            if self.rng.random() < 0.5:
                self._go(self._unit(0.1, 3))
                actions.accept(self.order, self.org.handler(self.plan.lead), now=self.t)
            reasons = (texts.CANCEL_REASONS[2],)
        actor = self.supervisor if self.rng.random() < 0.5 else self.dispatcher
        self._go(self._centre(5, 240))
        actions.cancel(self.order, actor, reason=self._text(reasons), now=self.t)

    def _merge(self) -> None:
        assert self.parent is not None
        actor = self.operator
        if "merge_after_dispatch" in self.plan.flags:
            self._dispatch(self.plan.lead, ())
            actor = self.dispatcher
            self._go(self._centre(30, 600))
        else:
            self._go(self._centre(2, 90))
        first, same_caller, same_place = texts.MERGE_REASONS
        reasons = [first]
        if self.order.citizen_phone == self.parent.citizen_phone:
            reasons.append(same_caller)
        elif self.plan.address:
            reasons.append(same_place)
        reason = self._text(reasons, parent=self.parent.number)
        actions.merge(self.order, actor, parent=self.parent, reason=reason, now=self.t)

    def _dispatch(self, unit_code: str, co_units: Iterable[str]) -> None:
        fast = self.plan.urgency != Urgency.NORMAL
        self._go(self._centre(2, 20) if fast else self._centre(5, 150))
        actions.dispatch(
            self.order,
            self.dispatcher,
            lead_unit=self.org.units[unit_code],
            co_units=[self.org.units[c] for c in co_units],
            now=self.t,
        )

    def _handle(self) -> None:
        plan, order = self.plan, self.order
        target = plan.target
        self._dispatch(plan.wrong or plan.lead, () if plan.wrong else plan.co_units)
        if target == State.DISPATCHED:
            if self.rng.random() < 0.3:
                self._urge(texts.URGE_NOTES[2])
            return
        lead_name = self.org.units[plan.lead].name
        if plan.wrong:
            wrong_handler = self.org.handler(plan.wrong)
            if self.rng.random() < 0.5:
                self._go(self._unit(0.1, 3))
                actions.accept(order, wrong_handler, now=self.t)
            reason = self._text(texts.RETURN_NOT_OURS, right=lead_name)
            if self._request_return(wrong_handler, reason):
                if target == State.RETURNED:
                    return
                self._go(self._centre(10, 300))
                note = self._text(texts.APPROVE_RETURN, right=lead_name)
                actions.approve_return(
                    order,
                    self.dispatcher,
                    lead_unit=self.org.units[plan.lead],
                    co_units=[self.org.units[c] for c in plan.co_units],
                    note=note,
                    now=self.t,
                )
            else:
                self._go(self._centre(10, 300))
                actions.redispatch(
                    order,
                    self.dispatcher,
                    lead_unit=self.org.units[plan.lead],
                    co_units=[self.org.units[c] for c in plan.co_units],
                    reason=self._text(texts.REDISPATCH, right=lead_name),
                    now=self.t,
                )
        elif "reject_return" in plan.flags or target == State.RETURNED:
            handler = self.org.handler(plan.lead)
            if self.rng.random() < 0.5:
                self._go(self._unit(0.1, 3))
                actions.accept(order, handler, now=self.t)
            if self._request_return(handler, self._text(texts.RETURN_DODGE)):
                if target == State.RETURNED:
                    return
                self._go(self._centre(10, 300))
                actions.reject_return(
                    order, self.dispatcher, reason=self._text(texts.REJECT_RETURN), now=self.t
                )
        if order.state == State.DISPATCHED:
            self._go(self._unit(0.1, 3))
            actions.accept(order, self.org.handler(plan.lead), now=self.t)
        rounds = 2 if "reopen" in plan.flags else 1
        for round_ in range(1, rounds + 1):
            final = round_ == rounds
            if round_ > 1 and target == State.REOPENED:
                if self.rng.random() < 0.5:
                    self._first_contact()
                return
            if not self._work(final):
                return
            if final and target == State.REPLIED:
                return
            self._go(self._centre(30, 1200))
            actions.approve_reply(
                order, self.dispatcher, note=self._text(texts.APPROVE_REPLY), now=self.t
            )
            if final and target == State.REVIEWED:
                if settings.CALLBACK_DISSATISFIED == "review" and self.rng.random() < 0.3:
                    self._callback(Satisfaction.DISSATISFIED)
                return
            if final:
                self._final_callback()
            else:
                self._reopen()

    def _work(self, final: bool) -> bool:
        """Handle and reply; False when the order is to stay with the unit (target reached)."""
        plan, order = self.plan, self.order
        handler = self.org.handler(plan.lead)
        if "no_contact" not in plan.flags or order.state == State.REOPENED:
            self._first_contact()
        stays = final and plan.target in (State.ACCEPTED, State.REOPENED)
        if final and plan.extension:
            asked = self._request_extension(handler)
            if asked and not (plan.extension == "pending" and stays):
                self._go(self._centre(30, 480))
                if plan.extension == "rejected":
                    reason = self._text(texts.EXTENSION_REJECTIONS)
                    actions.reject_extension(order, self.dispatcher, reason=reason, now=self.t)
                else:
                    note = self._text(texts.EXTENSION_APPROVALS)
                    actions.approve_extension(order, self.dispatcher, note=note, now=self.t)
        if final and "urge" in plan.flags:
            self._urge(self.rng.choice(texts.URGE_NOTES[:2]))
        if stays:
            return False
        self._reply(handler, final)
        if final and "reject_reply" in plan.flags:
            self._go(self._centre(60, 1200))
            reason = self._text(texts.REJECT_REPLY)
            actions.reject_reply(order, self.dispatcher, reason=reason, now=self.t)
            self._reply(handler, final, again=True)
        return True

    def _first_contact(self) -> None:
        self._go(self._unit(0.1, 5))
        way = _pick(self.rng, {ContactWay.PHONE: 80, ContactWay.VISIT: 12, ContactWay.SMS: 8})
        actions.first_contact(
            self.order,
            self.org.handler(self.plan.lead),
            way=way,
            note=self._text(texts.FIRST_CONTACT_NOTES),
            now=self.t,
        )

    def _request_return(self, handler: User, reason: str) -> bool:
        """Ask to return within the return window; False when the window has already passed."""
        when = self._peek(self._unit(0.3, 6))
        due = self.order.return_due
        if due is not None and when > due:
            if due <= self.t:
                return False
            when = self._peek(self.t + (due - self.t) * self.rng.uniform(0.3, 0.9))
        self._go(when)
        actions.request_return(self.order, handler, reason=reason, now=self.t)
        return True

    def _request_extension(self, handler: User) -> bool:
        when = self._peek(self._unit(1, 12))
        due = self.order.reply_due
        if due is not None and when >= due:
            if due <= self.t + dt.timedelta(minutes=1):
                return False
            when = self._peek(self.t + (due - self.t) * self.rng.uniform(0.3, 0.9))
        days = self.rng.choice((3, 5, 5, 7, 10))
        self._go(when)
        reason = self._text(texts.EXTENSION_REASONS, days=str(days))
        actions.request_extension(self.order, handler, days=days, reason=reason, now=self.t)
        return True

    def _urge(self, note: str) -> None:
        self._go(self._centre(60, 900))
        actions.urge(self.order, self.supervisor, note=note, now=self.t)

    def _reply(self, handler: User, final: bool, *, again: bool = False) -> None:
        order, plan = self.order, self.plan
        due = order.reply_due
        late = final and not again and "late" in plan.flags
        if again:
            candidate = self._unit(1, 12)
        elif due is None:
            candidate = self._unit(2, 30)
        elif late and due < self.cutoff:
            hours = self.rng.uniform(1, 20)
            candidate = (
                due + dt.timedelta(hours=hours)
                if self.wall_clock
                else self.calendar.add_working_hours(due, hours)
            )
        else:
            candidate = self.t + (due - self.t) * self.rng.triangular(0.1, 0.95, 0.45)
            if not self.wall_clock:
                opening = self.calendar.clamp(candidate)
                if opening != candidate:  # not at the stroke of opening: a while after it
                    hours = self.rng.uniform(0.05, 2.5)
                    candidate = self.calendar.add_working_hours(opening, hours)
            if candidate >= due:
                candidate = due - dt.timedelta(minutes=self.rng.uniform(5, 60))
        when = self._peek(candidate)
        if due is not None and when > due and not order.overdue:
            self._mark_overdue(until=when)
            if "supervise" in plan.flags and final:
                self._go(self.t + (when - self.t) * self.rng.uniform(0.1, 0.5))
                actions.supervise(
                    order, self.supervisor, note=self._text(texts.SUPERVISE_NOTES), now=self.t
                )
        self._go(when)
        if not final and not again:
            result = _pick(self.rng, _RESULTS_BEFORE_REOPEN)
        elif plan.kind == "consultation":
            result = _pick(self.rng, _RESULTS_CONSULTATION)
        else:
            result = _pick(self.rng, _RESULTS)
        options = getattr(plan.template, result) or texts.GENERIC_REPLIES[result]
        actions.reply(order, handler, result=result, text=self._text(options), now=self.t)

    def _mark_overdue(self, until: dt.datetime) -> None:
        """The SLA worker's mark, a few minutes after the reply deadline passed."""
        due = self.order.reply_due
        assert due is not None
        mark = max(self.t, due + dt.timedelta(seconds=self.rng.randint(30, 600)))
        self._go(min(mark, until))
        if self.t <= due:  # squeezed: the first second after the deadline
            self.t = due.replace(microsecond=0) + dt.timedelta(seconds=1)
        actions.mark_overdue(self.order, now=self.t)

    def _callback(self, satisfaction: str, *, resolved: bool | None = None) -> None:
        self._go(self._centre(60, 1800))
        if resolved is None:
            resolved = self.order.reply_result == ReplyResult.RESOLVED and (
                satisfaction != Satisfaction.DISSATISFIED
            )
        actions.callback(
            self.order,
            self.callback_agent,
            resolved=resolved,
            satisfaction=satisfaction,
            note=self._text(texts.CALLBACK_NOTES[satisfaction]),
            now=self.t,
        )

    def _final_callback(self) -> None:
        order = self.order
        if "unreachable" in self.plan.flags:
            self._go(self._centre(24 * 60, 72 * 60))
            actions.close(
                order, self.callback_agent, note=self._text(texts.CLOSE_UNREACHABLE), now=self.t
            )
            return
        weights = _SATISFACTION[ReplyResult(order.reply_result or ReplyResult.EXPLAINED)]
        satisfaction = _pick(self.rng, weights)
        if satisfaction == "dissatisfied" and settings.CALLBACK_DISSATISFIED == "reopen":
            satisfaction = "basically_satisfied"  # a dissatisfied callback would reopen it
        self._callback(satisfaction)
        if order.state == State.REVIEWED:  # dissatisfied, and the centre closes it anyway
            self._go(self._centre(30, 1440))
            note = self._text(texts.CLOSE_AFTER_DISSATISFIED)
            actions.close(order, self.dispatcher, note=note, now=self.t)

    def _reopen(self) -> None:
        """First round of a reopened order: dissatisfied at callback, or the problem came back
        after the order was closed."""
        order = self.order
        if self.rng.random() < 0.2:
            self._callback(Satisfaction.SATISFIED, resolved=True)
            self._go(self._centre(24 * 60, 6 * 24 * 60))
            reason = texts.REOPEN_REASONS[2]
        else:
            self._callback(Satisfaction.DISSATISFIED, resolved=False)
            self._go(self._centre(30, 600))
            reason = self._text(texts.REOPEN_REASONS[:2])
        if order.state != State.REOPENED:  # under CALLBACK_DISSATISFIED=reopen it already is
            actor = self.supervisor if self.rng.random() < 0.5 else self.dispatcher
            actions.reopen(order, actor, reason=reason, now=self.t)

    def _finish(self) -> None:
        """An order still at its unit past the reply deadline carries the SLA worker's mark."""
        order = self.order
        due = order.reply_due
        if order.state in AT_UNIT_STATES and not order.overdue and due and due < self.cutoff:
            self._mark_overdue(until=self.cutoff)
            if "supervise" in self.plan.flags or self.rng.random() < 0.3:
                self._go(self._centre(60, 1440))
                note = self._text(texts.SUPERVISE_NOTES)
                actions.supervise(order, self.supervisor, note=note, now=self.t)
