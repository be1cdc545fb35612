"""Living each planned order through the real actions, with believable delays."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings

from hotline.orders import actions
from hotline.orders.demo import texts
from hotline.orders.demo.plan import (
    _RESULTS,
    _RESULTS_BEFORE_REOPEN,
    _RESULTS_CONSULTATION,
    _SATISFACTION,
    _day,
    _Org,
    _paired,
    _pick,
    _Plan,
    _tz,
)
from hotline.orders.models import (
    AT_UNIT_STATES,
    Channel,
    ContactWay,
    ReplyResult,
    Satisfaction,
    State,
    WorkOrder,
)
from hotline.org import demo_district as district
from hotline.org.models import Unit, User
from hotline.sla import deadlines
from hotline.sla.calendar import WorkingCalendar
from hotline.sla.models import Basis, Urgency

#: Where the demo's operator takes an answer from, as the intake page lets her: called with the
#: order, the operator and the moment, each returns the answer's ``source`` (the article,
#: :func:`hotline.orders.actions.answer`), or ``{}`` to leave it to the next. The knowledge base
#: registers one (:class:`hotline.kb.apps.KbConfig`); without it the answers cite nothing.
ANSWER_SOURCES: list[Callable[[WorkOrder, User, dt.datetime], dict[str, int]]] = []


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
            source: dict[str, int] = {}
            for lookup in ANSWER_SOURCES:
                source = lookup(self.order, self.operator, self.t)
                if source:
                    break
            actions.answer(
                self.order, self.operator, text=self._answer(), source=source, now=self.t
            )
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
        if not plan.wrong:
            self._assign_inside()
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
                self._assign_section_after_redispatch()
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
                self._assign_section_after_redispatch()
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
            actions.accept(order, self.org.holder(order, plan.lead), now=self.t)
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

    def _assign_inside(self) -> None:
        """二级派单: the street passes a share of the orders (about 60 %, chosen from the request
        itself so that the random draws, and so the rest of the demo, stay as they were) to the
        居委会 of the address, whose handler then signs for, contacts and replies
        (``_Org.holder``); extensions stay with the street, as the centre deals with it. The
        share is what lets the demo's model learn the 居委会 and suggest them to the street."""
        plan = self.plan
        units = self.org.units
        section = self._section()
        if section is not None:
            self._assign_to_section(section)
            return
        community = units.get(plan.community) if plan.community else None
        if community is None or community.parent_id != units[plan.lead].pk:
            return
        if zlib.crc32(f"{plan.title}{plan.address}{plan.at}".encode()) % 10 >= 6:
            return
        self._go(self.t + dt.timedelta(minutes=15))
        note = texts.ASSIGN_INSIDE_NOTES[zlib.crc32(plan.title.encode()) % 2]
        actions.assign_inside(
            self.order,
            self.org.handler(plan.lead),
            unit=community,
            note=note.format(community=community.name),
            now=self.t,
        )

    def _section(self) -> Unit | None:
        """The lead bureau's section (科室) that takes the order's category, if any."""
        code = district.section_for(self.plan.lead, self.plan.template.category)
        return self.org.units.get(code or "")

    def _assign_section_after_redispatch(self) -> None:
        """A bureau that gets a wrongly dispatched order back on its desk passes it on to its
        section like any other (the streets' share stays as it was: the rest of the demo too)."""
        section = self._section()
        if section is not None:
            self._assign_to_section(section)

    def _assign_to_section(self, section: Unit) -> None:
        """二级派单 in a bureau: it passes every order of a category one of its sections (科室)
        takes to that section, whose handler signs for, contacts and replies; the others it works
        itself. The history lets the demo's model suggest the section to the bureau. (Every one:
        a bureau keeping a random share of them itself made near-identical orders end with the
        bureau and with its section, dozens of pairs of noise in the corrections report.)"""
        plan = self.plan
        self._go(self.t + dt.timedelta(minutes=20))
        note = texts.SECTION_NOTES[zlib.crc32(plan.title.encode()) % 2]
        actions.assign_inside(
            self.order,
            self.org.handler(plan.lead),
            unit=section,
            note=note.format(section=section.name),
            now=self.t,
        )

    def _work(self, final: bool) -> bool:
        """Handle and reply; False when the order is to stay with the unit (target reached)."""
        plan, order = self.plan, self.order
        handler = self.org.handler(plan.lead)  # extensions stay with the lead unit (二级派单)
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
        self._reply(self.org.holder(order, plan.lead), final)
        if final and "reject_reply" in plan.flags:
            self._go(self._centre(60, 1200))
            reason = self._text(texts.REJECT_REPLY)
            actions.reject_reply(order, self.dispatcher, reason=reason, now=self.t)
            self._reply(self.org.holder(order, plan.lead), final, again=True)
        return True

    def _first_contact(self) -> None:
        self._go(self._unit(0.1, 5))
        way = _pick(self.rng, {ContactWay.PHONE: 80, ContactWay.VISIT: 12, ContactWay.SMS: 8})
        actions.first_contact(
            self.order,
            self.org.holder(self.order, self.plan.lead),
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
