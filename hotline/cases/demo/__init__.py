"""The demo halls' week of cases (办件), through the real actions, and the demo reset's hook.

:func:`load_week` runs as a :data:`hotline.org.demo.LOAD_HOOKS` hook after the halls' simulated
days (:mod:`hotline.hall.demo`), whose served tickets opened a case each and left it open. The
week then goes on as a real one would, as ``week.json`` next to this module says:

- each case opened at a simulated ticket follows a story drawn with the file's weights (seeded by
  the case number, so a run is reproducible): materials received, accepted and concluded within
  (or, for a few, beyond) the promised limit and delivered; 补正 notices still waiting; 容缺
  promises kept or still open; not accepted; asked to come again. A 即办件 is concluded at the
  window; a conclusion that would fall after now leaves the case running within its limit;
- named citizens come through the full hall path (ticket, call, start): a 补正 and the second
  visit that completes it, a 容缺 promise, a 社会团体三联办 for a social organisation;
- ratings (:mod:`hotline.ratings.demo`, 差评 becoming rectification orders the centre handles),
  帮办 / 代办 records (:mod:`hotline.assistance.demo`) and online pre-reviews
  (:func:`hotline.prereview.demo.demo_prereviews`: citizens who pre-reviewed come the next
  working day and their cases open linked).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from hotline import clock
from hotline.appendonly import empty_tables
from hotline.cases import actions, numbering
from hotline.cases.models import (
    Case,
    CaseAction,
    CaseCounter,
    CaseEvent,
    CaseState,
    LineState,
    Outcome,
    ReceiptLine,
    Submission,
)
from hotline.hall import actions as hall_actions
from hotline.hall import identity
from hotline.hall.models import Hall, Source, Ticket, TicketAction, TicketEvent, Window
from hotline.matters.models import Bundle, Matter
from hotline.org.models import User
from hotline.sla.calendar import WorkingCalendar, get_calendar

DATA = Path(__file__).resolve().parent / "week.json"
Progress = Callable[[str], None]
MINUTE = dt.timedelta(minutes=1)


def _silent(message: str) -> None:
    pass


def week_data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def purge_cases(progress: Progress = _silent) -> None:
    """Empty every case table: the only place case events are removed (they are append-only; on
    PostgreSQL a trigger refuses row deletes, not TRUNCATE)."""
    progress("Deleting cases …")
    models: list[Any] = [CaseEvent, Case, ReceiptLine, Submission, CaseCounter]
    with transaction.atomic():
        # CASCADE: the apps built on cases (pre-reviews) point at them.
        empty_tables([m._meta.db_table for m in models], cascade=True)
        # The halls' number sequences go with their counter rows (the halls go next).
        numbering.drop_sequences(CaseCounter)


def load_week(progress: Progress = _silent) -> None:
    """The demo halls' week after their simulated queues (see the module docstring)."""
    from hotline.assistance.demo import record_week
    from hotline.prereview.demo import demo_prereviews
    from hotline.ratings.demo import rate_week

    spec = week_data()
    now = clock.now()
    for hall in Hall.objects.select_related("unit").order_by("code"):
        days = sorted(set(Ticket.objects.filter(hall=hall).values_list("day", flat=True)))
        if not days:
            continue
        progress(f"Taking {hall.code}'s cases through the week …")
        with transaction.atomic():
            mark = len(connection.run_on_commit)
            Week(hall, spec, now).run()
            citizens = [c for c in spec["citizens"] if c["hall"] == hall.code]
            rated = [_citizen(hall, c, days, spec, now) for c in citizens if c["day"] < len(days)]
            rate_week(hall, spec, now, stories=[r for r in rated if r is not None])
            record_week(hall, spec["assistance"], days)
            # History, not news: the rectification orders' dispatch notices of the past week are
            # not sent now (as the demo orders' are not).
            del connection.run_on_commit[mark:]
    demo_prereviews(progress)


def _lines(case: Case, *, missing: tuple[str, ...] = ()) -> dict[int, actions.Received]:
    """Every line of the case's checklist received, but those named in ``missing``."""
    return {
        line.pk: (
            actions.Received(LineState.MISSING)
            if line.name in missing
            else actions.Received(LineState.RECEIVED, line.form, line.copies)
        )
        for line in case.submission.lines.all()
    }


def _choose(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Week:
    """One hall's simulated cases taken through their stories."""

    def __init__(self, hall: Hall, spec: dict[str, Any], now: dt.datetime) -> None:
        self.hall, self.spec, self.now = hall, spec, now
        self.calendar: WorkingCalendar = get_calendar()
        self.seed = spec["seed"]

    def run(self) -> None:
        cases = list(
            Case.objects.filter(hall=self.hall, state=CaseState.OPENED)
            .select_related("matter", "submission", "hall")
            .order_by("opened_at", "pk")
        )
        finished = dict(
            TicketEvent.objects.filter(
                ticket_id__in=[c.ticket_id for c in cases], action=TicketAction.FINISH
            ).values_list("ticket_id", "at")
        )
        opener = dict(
            CaseEvent.objects.filter(
                case_id__in=[c.pk for c in cases], action=CaseAction.OPEN
            ).values_list("case_id", "actor_id")
        )
        clerks = User.objects.in_bulk({a for a in opener.values() if a})
        for case in cases:
            actor_id = opener.get(case.pk)
            clerk = clerks.get(actor_id) if actor_id else None
            end = finished.get(case.ticket_id) if case.ticket_id else None
            if clerk is None or end is None:
                continue  # not served to the end (a walk-out mid-service): left as it is
            self.story(case, clerk, end)

    def story(self, case: Case, clerk: User, end: dt.datetime) -> None:
        rng = random.Random(f"{self.seed}:{case.number}")
        instant = case.promised_days == 0
        story = _choose(rng, self.spec["stories"]["instant" if instant else "promised"])
        begun = case.opened_at
        lines = list(case.submission.lines.all())
        required = [line.name for line in lines if line.required]
        optional = [line.name for line in lines if not line.required]
        if story == "refused":
            actions.refuse(
                case, clerk, reason=rng.choice(self.spec["refusal_reasons"]), now=begun + MINUTE
            )
            return
        if story == "correction" and len(required) > 1:
            actions.receive(
                case.submission, clerk, _lines(case, missing=(required[-1],)), now=begun + MINUTE
            )
            actions.request_correction(
                case.submission,
                clerk,
                note=rng.choice(self.spec["correction_notes"]),
                now=begun + 2 * MINUTE,
            )
            return  # waiting for the citizen: the clock is paused
        if story == "return":
            actions.ask_return(
                case,
                clerk,
                cause=_choose(rng, self.spec["return_causes"]),
                note=rng.choice(self.spec["return_notes"]),
                now=begun + MINUTE,
            )
            return  # the citizen comes back another day
        promised = story == "promise" and optional
        actions.receive(
            case.submission,
            clerk,
            _lines(case, missing=(optional[0],) if promised else ()),
            now=begun + MINUTE,
        )
        if promised:
            line = case.submission.lines.get(name=optional[0])
            due = self.calendar.add_working_days(begun, self.spec["promise_days"]).date()
            actions.promise(
                line,
                clerk,
                text=rng.choice(self.spec["promise_texts"]),
                due=due,
                now=begun + MINUTE,
            )
        actions.accept(case, clerk, now=begun + 2 * MINUTE)
        if instant:
            concluded = max(begun + 3 * MINUTE, end - MINUTE)
        else:
            share = self.spec["late_share_of_limit" if story == "late" else "done_share_of_limit"]
            hours = rng.uniform(*share) * case.promised_days * self.spec["working_hours_per_day"]
            concluded = self.calendar.add_working_hours(begun, hours)
        if promised and rng.random() < self.spec["promise_kept_share"]:
            kept = min(concluded, self.now) - MINUTE
            line.refresh_from_db()
            actions.fulfil_promise(line, clerk, form=line.form, count=line.copies, now=kept)
        if concluded > self.now:
            return  # still within its limit
        case.refresh_from_db()
        actions.conclude(case, clerk, outcome=Outcome.APPROVED, now=concluded)
        self.deliver(case, clerk, concluded, rng, instant)

    def deliver(
        self, case: Case, clerk: User, concluded: dt.datetime, rng: random.Random, instant: bool
    ) -> None:
        if instant:  # handed over at the window during the visit
            actions.deliver(case, clerk, method="window", now=concluded + MINUTE // 2)
            return
        method = _choose(rng, self.spec["delivery"])
        at = concluded + 10 * MINUTE
        if method == "window":  # the citizen picks it up a working day or two later
            after = rng.randint(*self.spec["pickup_after_working_days"])
            at = self.calendar.add_working_hours(concluded, after * 4)
        if at <= self.now:
            case.refresh_from_db()
            actions.deliver(case, clerk, method=method, now=at)


def _at(day: dt.date, text: str) -> dt.datetime:
    hour, minute = (int(part) for part in text.split(":"))
    return clock.start_of_day(day) + dt.timedelta(hours=hour, minutes=minute)


def _serve(
    hall: Hall, matter: Matter, window: Window, clerk: User, at: dt.datetime, key: str, name: str
) -> Ticket:
    """A named citizen is given a ticket at the reception desk (staff see them: the ticket is
    theirs, so the 12345 caller history finds the visit), the clerk signs in at the window and
    calls them. The desk is the hall manager's, not the serving clerk's: a clerk who printed the
    slip of a visit they serve holds its rating key, and its QR rating is refused."""
    desk = User.objects.get(username=f"{hall.code}-hm")
    ticket = hall_actions.issue(
        hall,
        matter,
        holder_key=key,
        holder_name=name,
        now=at,
        check_caps=False,
        source=Source.RECEPTION,
        actor=desk,
    )
    hall_actions.sign_in(window, clerk, now=at)
    hall_actions.call_ticket(window, clerk, ticket, reason="预约到场", now=at + MINUTE)
    hall_actions.start(ticket, clerk, now=at + 2 * MINUTE)
    return ticket


def _leave(window: Window, clerk: User, ticket: Ticket, at: dt.datetime) -> None:
    hall_actions.finish(ticket, clerk, now=at)
    hall_actions.sign_out(window, clerk, now=at + MINUTE)


def _citizen(
    hall: Hall, spec: dict[str, Any], days: list[dt.date], week: dict[str, Any], now: dt.datetime
) -> tuple[Ticket, dict[str, Any]] | None:
    """One named citizen's visits (the file's ``citizens``), through the hall and case actions;
    the ticket to rate and the rating asked for."""
    calendar = get_calendar()
    window = Window.objects.get(hall=hall, number=spec["window"])
    clerk = User.objects.get(username=f"{hall.code}-ck1")
    key = identity.holder_key(phone=spec["phone"])
    bundle = Bundle.objects.get(code=spec["bundle"]) if spec.get("bundle") else None
    matter = (
        bundle.matters.order_by("code").first()
        if bundle
        else Matter.objects.get(code=spec["matter"])
    )
    assert matter is not None
    arrive = _at(days[spec["day"]], spec["time"])
    ticket = _serve(hall, matter, window, clerk, arrive, key, spec["name"])
    case = Case.objects.filter(events__ticket=ticket).order_by("pk").first()
    assert case is not None
    moment = arrive + 3 * MINUTE
    if bundle is not None:
        actions.serve_as_bundle(case.submission, bundle, clerk, now=moment)
    cases = list(case.submission.cases.order_by("pk"))
    missing = tuple(spec.get("missing", ()))
    promised = spec.get("promise")
    actions.receive(
        case.submission,
        clerk,
        _lines(case, missing=missing + ((promised,) if promised else ())),
        now=moment + MINUTE,
    )
    if missing:
        actions.request_correction(
            case.submission, clerk, note=week["correction_notes"][0], now=moment + 2 * MINUTE
        )
    elif promised:
        line = case.submission.lines.get(name=promised)
        due = calendar.add_working_days(arrive, week["promise_days"]).date()
        actions.promise(line, clerk, text=week["promise_texts"][0], due=due, now=moment + MINUTE)
    left = moment + 8 * MINUTE
    _leave(window, clerk, ticket, left)
    rated = ticket
    again = spec.get("again")
    # The second visit only on a simulated day: with fewer days (DEMO_HALL_DAYS) the story stops
    # at the 补正 notice, the case waiting for the citizen as a real one would.
    comes_back = bool(missing and again and again["day"] < len(days))
    if comes_back and again:
        back = _at(days[again["day"]], again["time"])
        rated = _serve(hall, matter, window, clerk, back, key, spec["name"])
        actions.receive(case.submission, clerk, _lines(case), now=back + 3 * MINUTE)
        left = back + 6 * MINUTE
        _leave(window, clerk, rated, left)
    if missing and not comes_back:
        # A shortened story is not rated: its rating speaks of the visit that did not happen.
        return None if again else (rated, spec["rating"])
    for each in cases:
        each.refresh_from_db()
        actions.accept(each, clerk, now=left - MINUTE)
    concluded = calendar.add_working_days(left, spec.get("conclude_after_working_days", 1))
    if promised and spec.get("promise_kept"):
        line = case.submission.lines.get(name=promised)
        actions.fulfil_promise(
            line, clerk, form=line.form, count=line.copies, now=min(concluded, now) - MINUTE
        )
    if concluded <= now:
        for each in cases:
            each.refresh_from_db()
            actions.conclude(each, clerk, outcome=Outcome.APPROVED, now=concluded)
        delivered = concluded + 10 * MINUTE
        if spec.get("delivery") == "window":
            delivered = calendar.add_working_hours(concluded, 4)
        if delivered <= now:
            for each in cases:
                each.refresh_from_db()
                actions.deliver(each, clerk, method=spec["delivery"], now=delivered)
    return rated, spec["rating"]
