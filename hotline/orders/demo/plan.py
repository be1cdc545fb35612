"""Planning the demo orders: when they come, what they ask, where each one should end."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings

from hotline.orders.demo import texts
from hotline.orders.models import (
    Channel,
    Kind,
    ReplyResult,
    State,
    WorkOrder,
)
from hotline.org import demo_district as district
from hotline.org.models import Category, Unit, User
from hotline.sla.calendar import WorkingCalendar
from hotline.sla.models import DeadlineRule, Urgency

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
    unit_codes: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        self.unit_codes = {u.pk: code for code, u in self.units.items()}

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
        handled = (
            [u.code for u in district.HANDLING_UNITS]
            + [n.code for _, n in district.neighbourhoods()]
            + [section.code for _, section in district.sections()]
        )
        handlers = [district.unit_handler_username(code) for code in handled]
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

    def holder(self, order: WorkOrder, lead_code: str) -> User:
        """Who works the order at the unit: the 居委会's (or the section's) handler once the
        street (or the bureau) assigned it there (二级派单), else the lead unit's. A district
        loaded before the 居委会 had handlers has none: the street's handler, their parent, acts
        for them."""
        if order.assigned_unit_id is not None:
            code = self.unit_codes.get(order.assigned_unit_id)
            user = self.users.get(district.unit_handler_username(code or ""))
            if user is not None:
                return user
        return self.handler(lead_code)


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
        self._inside_quotas(plans)
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

    def _inside_quotas(self, plans: list[_Plan]) -> None:
        """Every bureau section (科室), and every bureau itself (what no section takes), works at
        least ``max(1, count // 400)`` orders: without this, a section whose categories are rare
        got none, and a small load left a bureau's own desk empty. Plans taken from elsewhere
        become requests of the missing place's categories (a template of theirs, the same
        target state), drawn after everything else so that the rest of the demo stays as it
        was."""
        floor = max(1, self.count // 400)
        templates: dict[str, list[texts.Template]] = {}
        for template in texts.TEMPLATES:
            if (
                place := _bureau_place(self.org.default_unit_of[template.category], template)
            ) is not None:
                templates.setdefault(place, []).append(template)
        counts = Counter(_works_at(p) for p in plans)
        for place in sorted(templates):
            for _i in range(floor - counts[place]):
                candidates = [
                    p
                    for p in plans
                    if not p.locked
                    and p.extension != "pending"
                    and _works_at(p) is not None
                    and counts[_works_at(p)] > floor
                ]
                if not candidates:
                    break
                taken = self.rng.choice(candidates)
                counts[_works_at(taken)] -= 1
                template = self.rng.choice(templates[place])
                plan = self._order(taken.seq, taken.at, template)
                plan.target = taken.target
                self._flags(plan, plan.rng)
                if plan.target == State.RETURNED:
                    plan.wrong = None  # the bureau asks to return it, not a unit sent it wrongly
                plan.locked = True
                plans[taken.seq] = plan
                counts[_works_at(plan)] += 1

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


def _bureau_place(lead: str | None, template: texts.Template) -> str | None:
    """Who works an order of ``template`` sent to ``lead`` when that is a bureau with
    sections: the section for its category, else the bureau itself (else ``None``)."""
    if lead not in district.BUREAU_SECTIONS:
        return None
    return district.section_for(lead, template.category) or lead


def _works_at(plan: _Plan) -> str | None:
    """:func:`_bureau_place` for a plan the bureau gets to work on: dispatched and not left
    returned by a unit it was wrongly sent to (else ``None``)."""
    if not plan.dispatched_path or plan.target == State.REGISTERED:
        return None
    if plan.wrong is not None and plan.target == State.RETURNED:
        return None
    return _bureau_place(plan.lead, plan.template)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


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
