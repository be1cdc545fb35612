"""Window actions: sign-in, open / pause / close, and the calls (next, specific, recall, no-show,
reactivate, hold, call back, transfer, start, finish)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import NamedTuple, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models import Window as WindowExpression
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hotline import clock
from hotline.cases import actions as cases
from hotline.hall import sms, snapshot
from hotline.hall.actions._core import step
from hotline.hall.actions.tickets import end_at_day_end
from hotline.hall.hours import (
    closing_of,
    day_ends_at,
    lunch_windows,
    next_opening,
    window_numbers,
    window_rests,
)
from hotline.hall.models import (
    ACTIVE_STATES,
    Hall,
    HolderProof,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketState,
    Window,
    WindowAction,
    WindowEvent,
    WindowMatter,
    WindowState,
)
from hotline.hall.rules import (
    STAFF,
    Conflict,
    HallError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    check,
)
from hotline.matters.models import Matter
from hotline.org.models import Role, User

_T = TypeVar("_T", Ticket, snapshot.Light)

#: Tickets a window is busy with: it finishes, holds or transfers them before calling another.
BUSY = (TicketState.CALLED, TicketState.SERVING)


def _staff(window: Window, clerk: User) -> None:
    if not clerk.has_role(*STAFF) or clerk.unit_id != window.hall.unit_id:
        raise NotAllowed(_("Only the hall's clerks and manager may do this."))


def _at_window(window: Window, clerk: User) -> None:
    """The clerk signed in at this window (a manager may act for any window of the hall)."""
    _staff(window, clerk)
    if window.clerk_id != clerk.pk and not clerk.has_role(Role.HALL_MANAGER):
        raise NotAllowed(_("Sign in at window %(n)d first.") % {"n": window.number})


def _window_event(
    window: Window, action: str, clerk: User | None, now: dt.datetime, reason: str = ""
) -> None:
    WindowEvent.objects.create(window=window, action=action, at=now, clerk=clerk, reason=reason)


def sign_in(window: Window, clerk: User, *, now: dt.datetime | None = None) -> None:
    """The clerk takes the window (leaving any other) and opens it."""
    now = now or clock.now()
    _staff(window, clerk)
    with transaction.atomic():
        for other in Window.objects.select_for_update().filter(clerk=clerk).exclude(pk=window.pk):
            _leave(other, clerk, now)
        Window.objects.select_for_update().filter(pk=window.pk).first()
        window.refresh_from_db(fields=["state", "clerk", "pause_reason"])
        if window.clerk_id not in (None, clerk.pk):
            raise Conflict(_("Another clerk is signed in at this window."))
        if window.clerk_id is None:
            window.clerk = clerk
            window.save(update_fields=["clerk"])
            _window_event(window, WindowAction.SIGN_IN, clerk, now)
        if window.state != WindowState.OPEN:
            set_state(window, clerk, WindowState.OPEN, now=now)


def _refuse_with_held(window: Window, clerk: User, now: dt.datetime) -> list[str]:
    """A closed window calls nobody back: its held tickets would wait for no one (only the
    window's clerk calls them back), while their holders are told to come back to it. Once the
    hall is closed, though, nobody will be called back today: the held tickets end as at the
    day's end (not abandoned), and the clerk goes home instead of waiting for the worker.
    Returns the numbers of the tickets so ended."""
    held = list(window.tickets.filter(state=TicketState.HELD).order_by("queued_at"))
    if not held:
        return []
    hall = window.hall
    closed = [t for t in held if now >= closing_of(hall, t.day)]
    if len(closed) == len(held):  # after closing (not before opening: the day is still ahead)
        ended = []
        for ticket in held:
            ticket.hall = hall
            try:
                end_at_day_end(ticket, actor=clerk, now=now)
            except (Conflict, InvalidTransition):
                continue  # the worker's day's-end pass ended it a moment ago: nothing held
            ended.append(ticket.number)
        return ended
    raise InvalidTransition(
        _("On hold at this window: %(numbers)s. Call them back or transfer them first.")
        % {"numbers": _(", ").join(t.number for t in held[:5])}
    )


def _release_transferred(window: Window, clerk: User, now: dt.datetime) -> list[str]:
    """The window closes: the tickets transferred to it go back to their matter's queue, keeping
    their place (their time in the queue), and the next window serving the matter calls them.
    Left sent there they waited for a window that calls nobody: other windows offered them only
    for a call out of order, and their holders were told to watch the closed one (h5, M6). A
    paused window keeps them: it comes back (the manager's alert names them meanwhile). Each goes
    back by a transfer event of the clerk closing. Returns their numbers."""
    released = []
    sent_here = (
        Ticket.objects.filter(target_window=window, state=TicketState.WAITING)
        .select_related("hall", "matter")
        .order_by("queued_at", "pk")
    )
    for ticket in sent_here:
        try:
            step(
                ticket,
                TicketAction.TRANSFER,
                clerk,
                now=now,
                changes={"target_window_id": None},
                payload={
                    "from_matter": ticket.matter.code,
                    "from_window": None,
                    "from_target": window.number,
                    "window_closed": True,
                },
            )
        except Conflict:
            continue  # another window called it a moment ago
        released.append(ticket.number)
    return released


class Leaving(NamedTuple):
    """What a clerk's leaving did to the window's tickets: ``ended``, held there and ended with
    the day (:func:`_refuse_with_held`); ``released``, transferred there and sent back to their
    matter's queue (:func:`_release_transferred`). Numbers, in queue order."""

    ended: list[str]
    released: list[str]


def _leave(window: Window, clerk: User, now: dt.datetime) -> Leaving:
    if window.tickets.filter(state__in=BUSY).exists():
        raise InvalidTransition(_("Finish, hold or transfer the current ticket first."))
    ended = _refuse_with_held(window, clerk, now)
    if window.state != WindowState.CLOSED:
        window.state, window.pause_reason = WindowState.CLOSED, ""
        _window_event(window, WindowAction.CLOSE, clerk, now)
    window.clerk = None
    window.save(update_fields=["state", "pause_reason", "clerk"])
    _window_event(window, WindowAction.SIGN_OUT, clerk, now)
    return Leaving(ended, _release_transferred(window, clerk, now))


def sign_out(window: Window, clerk: User, *, now: dt.datetime | None = None) -> Leaving:
    """The clerk leaves; the window closes. Returns the numbers of the tickets on hold there that
    ended because the hall had closed (see :func:`_refuse_with_held`) and of those transferred
    there that went back to their matter's queue (:func:`_release_transferred`)."""
    _at_window(window, clerk)
    with transaction.atomic():
        return _leave(window, clerk, now or clock.now())


def set_state(
    window: Window, clerk: User, state: str, *, reason: str = "", now: dt.datetime | None = None
) -> list[str]:
    """Open, pause (a reason is required: lunch, system down …) or close a window (not while a
    ticket is called or served at it). Closing sends the tickets transferred to the window back
    to their matter's queue: returns their numbers (none for any other change)."""
    _at_window(window, clerk)
    now = now or clock.now()
    reason = reason.strip()
    if state == WindowState.PAUSED and not reason:
        raise InvalidInput(_("Say why the window pauses."), field="reason")
    if state not in WindowState.values:
        raise InvalidInput(_("Unknown window state."))
    if state == WindowState.CLOSED and window.tickets.filter(state__in=BUSY).exists():
        # As at sign-out: the board would send the called citizen to a closed window.
        raise InvalidTransition(_("Finish, hold or transfer the current ticket first."))
    if state == window.state and reason == window.pause_reason:
        return []
    action = {
        WindowState.OPEN: WindowAction.OPEN,
        WindowState.PAUSED: WindowAction.PAUSE,
        WindowState.CLOSED: WindowAction.CLOSE,
    }[WindowState(state)]
    with transaction.atomic():
        if state == WindowState.CLOSED:
            _refuse_with_held(window, clerk, now)
        window.state, window.pause_reason = state, reason if state == WindowState.PAUSED else ""
        window.save(update_fields=["state", "pause_reason"])
        _window_event(window, action, clerk, now, reason)
        if state == WindowState.CLOSED:
            return _release_transferred(window, clerk, now)
    return []


def _ready(window: Window, clerk: User, now: dt.datetime | None = None) -> None:
    """The window may call now: its clerk's, open, not busy, and (``now`` given: a call from the
    queue) not resting in the hall's lunch break. A held ticket called back is the window's own
    citizen, whose service goes on at lunch too."""
    # The page that asked may be stale: the window's state and clerk are read afresh, with
    # whether it is busy, in one query (each round trip counts when 40 windows call at once).
    state, clerk_id, serves_lunch, busy = (
        Window.objects.filter(pk=window.pk)
        .annotate(busy=Exists(Ticket.objects.filter(window=OuterRef("pk"), state__in=BUSY)))
        .values_list("state", "clerk_id", "serves_lunch", "busy")
        .get()
    )
    window.state, window.clerk_id, window.serves_lunch = state, clerk_id, serves_lunch
    _at_window(window, clerk)
    if window.state != WindowState.OPEN:
        raise InvalidTransition(_("Open the window to call tickets."))
    if busy:
        raise InvalidTransition(_("Finish, hold or transfer the current ticket first."))
    if now is not None and window_rests(window, now):
        raise InvalidTransition(lunch_refusal(window, now))


def lunch_refusal(window: Window, now: dt.datetime) -> str:
    """Why a window that rests at lunch calls nobody now, when it calls again and which windows
    serve through lunch (午间不打烊), for the clerk's desk."""
    hall = window.hall
    resumes = f"{timezone.localtime(next_opening(hall, now)):%H:%M}"
    serving = lunch_windows(hall)
    if not serving:
        return _("Lunch break: window %(n)d calls again from %(time)s.") % {
            "n": window.number,
            "time": resumes,
        }
    return ngettext(
        "Lunch break: window %(n)d calls again from %(time)s. Window %(windows)s serves "
        "through lunch.",
        "Lunch break: window %(n)d calls again from %(time)s. Windows %(windows)s serve "
        "through lunch.",
        len(serving),
    ) % {"n": window.number, "time": resumes, "windows": window_numbers(serving)}


def _visible(
    window: Window, day: dt.date, weights: dict[int, int], also: Collection[int] = ()
) -> QuerySet[Ticket]:
    """The waiting tickets this window may call: of its matters, not sent to another window
    (``also``: and those of its matters sent to these other windows)."""
    sent = Q(target_window__isnull=True) | Q(target_window=window)
    if also:
        sent |= Q(target_window_id__in=also)
    return Ticket.objects.filter(
        hall_id=window.hall_id, day=day, state=TicketState.WAITING, matter_id__in=weights
    ).filter(sent)


def _tiered(
    window: Window, ordered: list[_T], weights: dict[int, int], now: dt.datetime
) -> list[_T]:
    """``ordered`` (tickets this window may call, in queue order) in the order the window calls
    them (:func:`hotline.hall.snapshot.tiered`, the rule the count of those ahead reads too): a
    ticket transferred to it first, then its heaviest matters, each tier in queue order, a
    ticket past the hall's service level with the heaviest (issue 17: nobody starves)."""
    service_level = dt.timedelta(minutes=window.hall.service_level_minutes)
    return snapshot.tiered(window.pk, ordered, weights, service_level, now)


def _candidates(
    window: Window, day: dt.date, *, first: int | None = None, now: dt.datetime | None = None
) -> tuple[list[int], bool]:
    """Ids of the waiting tickets this window may call, in the order it calls them: a ticket
    transferred to it first, then its heaviest matters, each tier in queue order — all of them,
    or with ``first`` the first ``first`` of them where that needs less than the whole queue.
    The flag says whether the list is complete (every ticket the window may call is in it).

    The first N of the queue order are among the first N of each priority class in arrival
    order, whatever the rule: strict and time-weighted order are sorts by a key that keeps
    each class in arrival order, and interleave N:M takes each lane from its head (an empty
    lane yields, and a lane runs out among the first N only when it has fewer). So when every
    ticket the window may call is in one tier, the pure queue order of those heads — read in
    one query, in the database — gives the window's first N exactly; a 40-window hall with
    a queue of 1,200 then orders 64 tickets on every call instead of 1,200. With tiers (a
    ticket transferred to this window, matters of different weights) interleave places a
    tier's tickets by their rank in the whole lane, and the whole queue is read."""
    weights = dict(WindowMatter.objects.filter(window=window).values_list("matter_id", "weight"))
    if first is not None and len(set(weights.values())) <= 1:
        heads = _heads(_visible(window, day, weights), first)
        # Partitioned by target too: a ticket transferred here shows among the heads if any
        # waits, and makes a tier of its own.
        if not any(t.target_window_id is not None for t in heads):
            per_class: dict[str, int] = {}
            for t in heads:
                per_class[t.priority] = per_class.get(t.priority, 0) + 1
            complete = all(n < first for n in per_class.values())
            ordered = snapshot.ordered(window.hall, heads, day)
            return [t.pk for t in (ordered if complete else ordered[:first])], complete
    ordered = snapshot.ordered(window.hall, snapshot.light(_visible(window, day, weights)), day)
    return [t.pk for t in _tiered(window, ordered, weights, now or clock.now())], True


def call_order(
    window: Window,
    day: dt.date,
    *,
    sent_to: Collection[int] = (),
    now: dt.datetime | None = None,
) -> tuple[list[Ticket], list[Ticket]]:
    """The waiting tickets :func:`call_next` takes at this window on ``day``, in the order it
    takes them (the ordering of :func:`_candidates`): the desk lists "waiting for this window"
    so, and the first is the one the clerk may tell "you're next". Second, the tickets of the
    window's matters transferred to the windows ``sent_to`` (which call next never takes here;
    the desk offers them for a call out of order), in arrival order. One read of the tickets,
    with their matter and target window."""
    weights = dict(WindowMatter.objects.filter(window=window).values_list("matter_id", "weight"))
    found = list(
        _visible(window, day, weights, also=sent_to).select_related("matter", "target_window")
    )
    mine = [t for t in found if t.target_window_id in (None, window.pk)]
    others = sorted((t for t in found if t not in mine), key=lambda t: (t.queued_at, t.pk))
    ordered = snapshot.ordered(window.hall, mine, day)
    return _tiered(window, ordered, weights, now or clock.now()), others


def _heads(waiting: QuerySet[Ticket], n: int) -> list[snapshot.Light]:
    """The first ``n`` of ``waiting`` in arrival order per priority class and target window
    (one query: the database numbers the rows and keeps the heads)."""
    place = WindowExpression(
        RowNumber(),
        partition_by=[F("priority"), F("target_window_id")],
        order_by=[F("queued_at").asc(), F("id").asc()],
    )
    rows = (
        waiting.order_by()
        .annotate(place=place)
        .filter(place__lte=n)
        .values_list(*snapshot.LIGHT_FIELDS)
    )
    return [snapshot.Light(*row) for row in rows]


def call_next(window: Window, clerk: User, *, now: dt.datetime | None = None) -> Ticket | None:
    """Call the next ticket for this window, or ``None`` when nobody waits for it.

    Race-safe: a candidate is taken only while still waiting, with the row count checked, so
    when another window took it a moment earlier the next candidate is tried. On PostgreSQL one
    statement takes the first candidate no other window is taking at this instant (``FOR
    UPDATE SKIP LOCKED``: a window never waits for another) and returns it. The winner appends
    the call event in the same transaction.
    """
    now = now or clock.now()
    _ready(window, clerk, now)
    check(TicketAction.CALL, TicketState.WAITING, clerk, window.hall)
    day = timezone.localtime(now).date()
    take = _take_first_free if connection.vendor == "postgresql" else _take_in_turn
    with transaction.atomic():
        candidates, complete = _candidates(window, day, first=TAKE_BATCH, now=now)
        ticket = take(window, clerk, candidates, now)
        if ticket is None and not complete:
            # Every one of the first candidates was taken by other windows meanwhile: the rest.
            tried = set(candidates)
            rest = [pk for pk in _candidates(window, day, now=now)[0] if pk not in tried]
            ticket = take(window, clerk, rest, now)
        if ticket is None:
            return None
        ticket.hall = window.hall  # the same hall: no query for it below or in the caller
        TicketEvent.objects.create(
            ticket=ticket,
            hall_id=ticket.hall_id,
            seq=ticket.version,
            action=TicketAction.CALL,
            at=now,
            actor=clerk,
            window=window,
            matter_id=ticket.matter_id,
            priority=ticket.priority,
            from_state=TicketState.WAITING,
            to_state=TicketState.CALLED,
        )
        sms.after_call(ticket.hall)
        return ticket


#: Candidates offered to one taking statement: more than the windows that may be taking the
#: first ones at the same instant, few enough to keep the statement small.
TAKE_BATCH = 64


def _take_first_free(
    window: Window, clerk: User, candidates: list[int], now: dt.datetime
) -> Ticket | None:
    """PostgreSQL: lock the first of ``candidates`` (in their order) that is still waiting and
    not being taken by another window (``SKIP LOCKED``), move it to called and return it — one
    statement per :data:`TAKE_BATCH` candidates. Only that row is locked: locking the whole
    queue would make every other window see an empty one."""
    table = Ticket._meta.db_table
    sql = (
        f"UPDATE {table} SET state = %s, window_id = %s, clerk_id = %s, called_at = %s, "
        "recalls = 0, target_window_id = NULL, version = version + 1 "
        f"WHERE id = (SELECT id FROM {table} WHERE id = ANY(%s::bigint[]) AND state = %s "
        "ORDER BY array_position(%s::bigint[], id) LIMIT 1 FOR UPDATE SKIP LOCKED) "
        "AND state = %s RETURNING *"
    )
    waiting = TicketState.WAITING
    for start in range(0, len(candidates), TAKE_BATCH):
        batch = candidates[start : start + TAKE_BATCH]
        params = [TicketState.CALLED, window.pk, clerk.pk, now, batch, waiting, batch, waiting]
        taken = list(Ticket.objects.raw(sql, params))
        if taken:
            return taken[0]
    return None


def _take_in_turn(
    window: Window, clerk: User, candidates: list[int], now: dt.datetime
) -> Ticket | None:
    """Other databases (SQLite serialises writers): each candidate in turn by a conditional
    UPDATE … WHERE state='waiting' whose row count is checked."""
    for candidate in candidates:
        taken = Ticket.objects.filter(pk=candidate, state=TicketState.WAITING).update(
            state=TicketState.CALLED,
            window=window,
            clerk=clerk,
            called_at=now,
            recalls=0,
            target_window=None,
            version=F("version") + 1,
        )
        if taken == 1:
            # The row is ours until commit: read it back for the event and the caller.
            return Ticket.objects.get(pk=candidate)
    return None


def call_ticket(
    window: Window, clerk: User, ticket: Ticket, *, reason: str, now: dt.datetime | None = None
) -> Ticket:
    """Call a specific waiting ticket out of order; the reason is recorded.

    Only a ticket this window can serve: of one of its matters (a ticket for another matter is
    moved by :func:`transfer`), and not one transferred to another window that is open (that
    window calls it). A ticket transferred to a window that is paused or closed would wait for
    nobody: another window may call it, and the event records where it had been sent.

    What is checked here is the ticket as read; the call's conditional update (its version and
    state) refuses it if a transfer or another window changed it meanwhile."""
    now = now or clock.now()
    _ready(window, clerk, now)
    if not reason.strip():
        raise InvalidInput(_("Say why this ticket is called out of order."), field="reason")
    ticket.refresh_from_db(
        from_queryset=Ticket.objects.select_related("window", "target_window", "matter")
    )
    if ticket.hall_id != window.hall_id:
        raise InvalidInput(_("That ticket belongs to another hall."))
    if ticket.state in (*BUSY, TicketState.HELD) and ticket.window is not None:
        # The desk's list was stale: say who has the citizen, not that "called" cannot be called.
        raise Conflict(
            _("%(number)s is already at window %(window)d.")
            % {"number": ticket.number, "window": ticket.window.number}
        )
    payload: dict[str, object] = {"out_of_order": True}
    if ticket.state == TicketState.WAITING:
        if not WindowMatter.objects.filter(window=window, matter_id=ticket.matter_id).exists():
            raise InvalidInput(
                _(
                    "Window %(window)d does not serve %(matter)s (%(number)s): the ticket can be "
                    "transferred to a window that does, or to another matter."
                )
                % {"window": window.number, "matter": ticket.matter.name, "number": ticket.number}
            )
        target = ticket.target_window
        if target is not None and target.pk != window.pk:
            if target.state == WindowState.OPEN:
                raise Conflict(
                    _("%(number)s was transferred to window %(window)d, which calls it.")
                    % {"number": ticket.number, "window": target.number}
                )
            payload["transferred_to"] = target.number
    step(
        ticket,
        TicketAction.CALL,
        clerk,
        now=now,
        changes={
            "window_id": window.pk,
            "clerk_id": clerk.pk,
            "called_at": now,
            "recalls": 0,
            "target_window_id": None,
        },
        reason=reason.strip(),
        payload=payload,
        expect_state=TicketState.WAITING,
    )
    return ticket


def _own(ticket: Ticket, clerk: User) -> None:
    # Callers may hold an old copy (a page, the simulator): act on the ticket as it is now. Two
    # windows acting at once are still told apart by the conditional update in step(). Its
    # hall, window and matter come in the same query (they are read next: start's case and
    # finish's matters done read the matter).
    ticket.refresh_from_db(
        from_queryset=Ticket.objects.select_related("hall", "window__hall", "matter")
    )
    if ticket.window is None:
        raise InvalidTransition(_("The ticket is not at a window."))
    _at_window(ticket.window, clerk)


def recall(ticket: Ticket, clerk: User, *, now: dt.datetime | None = None) -> None:
    """Call the same ticket again (counted); after the hall's N recalls only no-show is left.
    A call, so only at an open window: paused with the ticket called (pausing is allowed while
    busy), a recall would send the citizen to a window nobody is at (review, session 18)."""
    _own(ticket, clerk)
    assert ticket.window is not None  # _own refuses a ticket at no window
    state = Window.objects.filter(pk=ticket.window.pk).values_list("state", flat=True).get()
    if state != WindowState.OPEN:
        raise InvalidTransition(_("Open the window to call tickets."))
    if ticket.recalls >= ticket.hall.recalls_before_no_show:
        raise InvalidTransition(
            _("Called %(n)d times already: mark a no-show.") % {"n": ticket.recalls}
        )
    now = now or clock.now()
    step(
        ticket,
        TicketAction.RECALL,
        clerk,
        now=now,
        changes={"recalls": ticket.recalls + 1, "called_at": now},
    )


class NoShowWait(NamedTuple):
    """What is left before a called ticket may be marked a no-show: the hall's recalls still to
    make, or the time its minutes since the (last) call run out (``None``: never called)."""

    recalls_left: int
    until: dt.datetime | None

    def text(self) -> str:
        """The rule as the clerk reads it: the desk's hint beside the disabled "No-show" and
        the refusal of :func:`no_show` (one text, so they agree)."""
        n = self.recalls_left
        if self.until is None:
            return ngettext(
                "Call again %(n)d more time to mark a no-show.",
                "Call again %(n)d more times to mark a no-show.",
                n,
            ) % {"n": n}
        return ngettext(
            "Call again %(n)d more time, or wait until %(time)s, to mark a no-show.",
            "Call again %(n)d more times, or wait until %(time)s, to mark a no-show.",
            n,
        ) % {"n": n, "time": timezone.localtime(self.until).strftime("%H:%M")}


def no_show_wait(ticket: Ticket, now: dt.datetime) -> NoShowWait | None:
    """``None`` when ``ticket`` (called) may be marked a no-show at ``now``: after the hall's
    recalls, or its ``no_show_minutes`` since the call (a recall calls again: the minutes count
    from it). Otherwise what is left (:class:`NoShowWait`). The one rule :func:`no_show` applies
    and the desk shows before the clerk tries."""
    hall = ticket.hall
    until = (
        ticket.called_at + dt.timedelta(minutes=hall.no_show_minutes)
        if ticket.called_at is not None
        else None
    )
    if ticket.recalls >= hall.recalls_before_no_show or (until is not None and now >= until):
        return None
    return NoShowWait(hall.recalls_before_no_show - ticket.recalls, until)


def no_show(ticket: Ticket, clerk: User | None, *, now: dt.datetime | None = None) -> Ticket | None:
    """The called citizen did not come: after the hall's recalls, or its timeout since the call
    (:func:`no_show_wait`). Returns the ticket auto-call called next, if the window has it on."""
    now = now or clock.now()
    ticket.refresh_from_db()
    wait = no_show_wait(ticket, now)
    if wait is not None:
        raise InvalidTransition(wait.text())
    timed_out = ticket.called_at is not None and now - ticket.called_at >= dt.timedelta(
        minutes=ticket.hall.no_show_minutes
    )
    if clerk is not None:
        _own(ticket, clerk)
    window = ticket.window
    step(ticket, TicketAction.NO_SHOW, clerk, now=now, payload={"timed_out": timed_out})
    return _auto_call(window, now)


def _auto_call(window: Window | None, now: dt.datetime) -> Ticket | None:
    """With auto-call on, a window freed by a finish or a no-show calls the next ticket through
    the same race-safe :func:`call_next`, as its signed-in clerk. Nothing happens when the
    window is paused or closed, still busy (a held ticket called back), or nobody waits; nor
    during the hall's lunch break (午休) at a window that rests then: only the windows serving
    through lunch (午间不打烊) go on calling."""
    if window is None:
        return None
    window.refresh_from_db(fields=["auto_call", "state", "clerk", "serves_lunch"])
    if not window.auto_call or window.clerk is None or window.state != WindowState.OPEN:
        return None
    if window_rests(window, now):
        return None
    try:
        return call_next(window, window.clerk, now=now)
    except HallError:
        # The finish or no-show stands; the clerk calls by hand (the desk shows why).
        return None


def set_auto_call(window: Window, clerk: User, on: bool, *, now: dt.datetime | None = None) -> None:
    """Switch auto-call for this window on or off (a window event either way)."""
    _at_window(window, clerk)
    now = now or clock.now()
    with transaction.atomic():
        changed = Window.objects.filter(pk=window.pk, auto_call=not on).update(auto_call=on)
        window.auto_call = on
        if changed:
            action = WindowAction.AUTO_CALL_ON if on else WindowAction.AUTO_CALL_OFF
            _window_event(window, action, clerk, now)


def set_serves_lunch(
    window: Window, manager: User, on: bool, *, now: dt.datetime | None = None
) -> bool:
    """The hall manager sets whether ``window`` serves through the hall's lunch break (午间不打烊)
    or rests then (a window event either way). Returns whether anything changed."""
    if not manager.has_role(Role.HALL_MANAGER) or manager.unit_id != window.hall.unit_id:
        raise NotAllowed(_("Only the hall's manager may do this."))
    now = now or clock.now()
    with transaction.atomic():
        changed = Window.objects.filter(pk=window.pk, serves_lunch=not on).update(serves_lunch=on)
        window.serves_lunch = on
        if changed:
            action = WindowAction.LUNCH_ON if on else WindowAction.LUNCH_OFF
            _window_event(window, action, manager, now)
    return bool(changed)


def reactivate_until(ticket: Ticket) -> dt.datetime | None:
    """Until when a no-show may get the place back: its last no-show plus the hall's tolerance
    (``reactivate_minutes``), but not past the hall's day's end (back in the queue it would only
    be ended again); ``None`` for a ticket never marked a no-show."""
    missed = (
        TicketEvent.objects.filter(ticket=ticket, action=TicketAction.NO_SHOW)
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    if missed is None:
        return None
    until = missed + dt.timedelta(minutes=ticket.hall.reactivate_minutes)
    return min(until, day_ends_at(ticket.hall, ticket.day))


def reactivate(ticket: Ticket, clerk: User, *, now: dt.datetime | None = None) -> None:
    """A no-show who turns up within the hall's tolerance gets their place back."""
    now = now or clock.now()
    _staff_for(ticket, clerk)
    until = reactivate_until(ticket)
    if now >= day_ends_at(ticket.hall, ticket.day):
        # The day's end has passed: back in the queue it would only be ended again.
        raise InvalidTransition(_("The hall's day is over: please take a new ticket next time."))
    if until is None or now > until:
        raise InvalidTransition(
            _("More than %(n)d minutes since the no-show: take a new ticket.")
            % {"n": ticket.hall.reactivate_minutes}
        )
    step(
        ticket,
        TicketAction.REACTIVATE,
        clerk,
        now=now,
        changes={"window_id": None, "clerk_id": None},
    )


def _staff_for(ticket: Ticket, clerk: User) -> None:
    ticket.refresh_from_db(from_queryset=Ticket.objects.select_related("hall"))
    if not clerk.has_role(*STAFF) or clerk.unit_id != ticket.hall.unit_id:
        raise NotAllowed(_("Only the hall's clerks and manager may do this."))


def start(
    ticket: Ticket,
    clerk: User,
    *,
    holder_seen: bool = False,
    end_other: int | None = None,
    now: dt.datetime | None = None,
) -> Ticket | None:
    """The citizen is at the window: service starts (the walk ends), and the matter's case (办件)
    is opened or, for a returning citizen, linked — in the same transaction.

    ``holder_seen``: the clerk has seen the citizen's ID and the number the ticket was taken
    under at the kiosk is theirs; the holder is proved by staff (recorded on the start event),
    so the visit links to their open case and pre-review. Without it a kiosk's typed number
    links nothing: anyone may type someone else's.

    One active ticket per person and matter, and the clerk serves the person in front of them.
    When the number already holds a proved ticket for the matter (a booking checked in after
    they took this one at the kiosk), the start is refused naming it (:func:`holders_other`);
    while it waits, the clerk ends it with this start by naming it (``end_other``: its id, the
    desk's one button), in the same transaction, and it is returned. Not by itself: a stranger
    who typed the number at the kiosk, confirmed by mistake, must not end the holder's ticket
    unseen."""
    _own(ticket, clerk)
    now = now or clock.now()
    merged = None
    with transaction.atomic():
        if holder_seen and ticket.holder_key and not ticket.holder_proof:
            merged = _start_proved(ticket, clerk, now, end_other)
        else:  # no savepoint on every start: nothing here can break a constraint
            step(ticket, TicketAction.START, clerk, now=now)
        cases.open_for_ticket(ticket, clerk, now=now)
    return merged


def holders_other(ticket: Ticket) -> Ticket | None:
    """The proved open ticket under the number of ``ticket`` (taken at the kiosk, unproved) for
    the same matter and day, if any: what confirming the number at the window runs into."""
    if not ticket.holder_key or ticket.holder_proof:
        return None
    return (
        Ticket.objects.select_related("hall", "window", "matter")
        .filter(
            hall_id=ticket.hall_id,
            day=ticket.day,
            matter_id=ticket.matter_id,
            holder_key=ticket.holder_key,
            state__in=ACTIVE_STATES,
        )
        .exclude(holder_proof=HolderProof.NONE)
        .exclude(pk=ticket.pk)
        .first()
    )


def _start_proved(
    ticket: Ticket, clerk: User, now: dt.datetime, end_other: int | None
) -> Ticket | None:
    proof = HolderProof.STAFF
    other = holders_other(ticket)
    if other is not None and other.state == TicketState.WAITING and other.pk != end_other:
        raise InvalidInput(
            _(
                "This number already holds ticket %(number)s for %(matter)s, waiting. If the "
                "person at your window holds it, serve them here and end %(number)s (the button "
                "below), or start this one without confirming the number."
            )
            % {"number": other.number, "matter": other.matter.name},
            field="holder_seen",
        )
    if other is not None and other.state != TicketState.WAITING:
        raise InvalidInput(
            _(
                "This person's ticket %(number)s for %(matter)s is already at window "
                "%(window)d: serve them on that ticket there, or start this one without "
                "confirming the number."
            )
            % {
                "number": other.number,
                "matter": other.matter.name,
                "window": other.window.number if other.window is not None else 0,
            },
            field="holder_seen",
        )
    try:
        with transaction.atomic():
            if other is not None:
                step(
                    other,
                    TicketAction.MERGE,
                    clerk,
                    now=now,
                    payload={"served_as": ticket.number},
                    expect_state=TicketState.WAITING,
                )
            step(
                ticket,
                TicketAction.START,
                clerk,
                now=now,
                changes={"holder_proof": proof},
                payload={"proof": proof.value, **({"merged": other.number} if other else {})},
            )
    except IntegrityError:  # the one-ticket rule: this person holds another ticket for it
        raise InvalidInput(
            _(
                "This number already holds another ticket for %(matter)s today: serve "
                "that one, or start this one without confirming the number."
            )
            % {"matter": ticket.matter.name},
            field="holder_seen",
        ) from None
    return other


def finish(
    ticket: Ticket,
    clerk: User,
    *,
    matters_done: list[Matter] | None = None,
    now: dt.datetime | None = None,
) -> Ticket | None:
    """Service ends; ``matters_done`` are the matters actually handled (default: the ticket's):
    the ticket's own or others this hall's windows handle (a posted id of another hall's matter
    is refused, not recorded as done here). Returns the ticket auto-call called next, if the
    window has it on."""
    _own(ticket, clerk)
    done = matters_done if matters_done is not None else [ticket.matter]
    if matters_done:
        handled = set(
            WindowMatter.objects.filter(window__hall_id=ticket.hall_id).values_list(
                "matter_id", flat=True
            )
        )
        if any(m.pk not in handled and m.pk != ticket.matter_id for m in matters_done):
            raise HallError(_("A matter ticked as done is not handled in this hall."), "matters")
    now = now or clock.now()
    step(
        ticket,
        TicketAction.FINISH,
        clerk,
        now=now,
        payload={"matters": [m.code for m in done]},
    )
    return _auto_call(ticket.window, now)


def hold(ticket: Ticket, clerk: User, *, reason: str = "", now: dt.datetime | None = None) -> None:
    """Set the ticket aside (a missing copy to fetch); the window may call others meanwhile."""
    _own(ticket, clerk)
    step(ticket, TicketAction.HOLD, clerk, now=now or clock.now(), reason=reason.strip())


def call_back(ticket: Ticket, clerk: User, *, now: dt.datetime | None = None) -> None:
    """Call a held ticket back to the window that held it: a call, so only to an open window
    that is not busy (the board would send the citizen to a paused one, nobody there)."""
    _own(ticket, clerk)
    assert ticket.window is not None  # _own refuses a ticket at no window
    _ready(ticket.window, clerk)
    now = now or clock.now()
    step(ticket, TicketAction.CALL_BACK, clerk, now=now, changes={"called_at": now, "recalls": 0})


def transfer(
    ticket: Ticket,
    clerk: User,
    *,
    matter: Matter | None = None,
    window: Window | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Send the ticket to another matter or window before service ends; it keeps its number and
    its place (its time in the queue is not reset). A ticket at a window (called, serving, held)
    moves only by that window's clerk or the manager: another clerk's stale page or a changed
    id would take the citizen away from the window serving them."""
    _staff_for(ticket, clerk)
    if ticket.window_id is not None:
        _at_window(Window.objects.select_related("hall").get(pk=ticket.window_id), clerk)
    if matter is None and window is None:
        raise InvalidInput(_("Choose the matter or window to transfer to."), field="matter")
    hall: Hall = ticket.hall
    target_matter = matter or ticket.matter
    if window is not None and window.hall_id != hall.pk:
        raise InvalidInput(_("That window is in another hall."), field="window")
    if window is not None and window.pk != ticket.window_id:
        # Sent to a window that is not open, the ticket waited for nobody: no other window's
        # "Call next" takes a ticket transferred elsewhere, and nothing told anyone (h5, M6).
        state = Window.objects.filter(pk=window.pk).values_list("state", flat=True).get()
        if state != WindowState.OPEN:
            raise InvalidInput(
                _(
                    "Window %(n)d is not open: transfer to an open window, or to any window "
                    "that serves the matter."
                )
                % {"n": window.number},
                field="window",
            )
    serving = WindowMatter.objects.filter(window__hall=hall, matter=target_matter)
    if window is not None:
        serving = serving.filter(window=window)
    if not serving.exists():
        raise InvalidInput(
            _("No window here serves %(matter)s.") % {"matter": target_matter.name}, field="matter"
        )
    now = now or clock.now()
    with transaction.atomic():
        if target_matter.pk != ticket.matter_id:
            # The case opened at this ticket for the matter it leaves is withdrawn (撤回), or
            # the move refused once something was received or decided on it (hotline.cases).
            try:
                cases.withdraw_for_transfer(ticket, clerk, target_matter, now=now)
            except cases.CaseError as exc:
                raise InvalidTransition(exc.message) from exc
        step(
            ticket,
            TicketAction.TRANSFER,
            clerk,
            now=now,
            changes={
                "matter_id": target_matter.pk,
                "target_window_id": window.pk if window else None,
                "window_id": None,
                "clerk_id": None,
                "recalls": 0,
            },
            reason=reason.strip(),
            payload={
                "from_matter": ticket.matter.code,
                "from_window": ticket.window.number if ticket.window else None,
            },
        )
    ticket.matter = target_matter


def sweep_no_shows(hall: Hall, *, now: dt.datetime | None = None) -> int:
    """The worker's pass: called tickets past the timeout after the last recall: no-shows."""
    now = now or clock.now()
    limit = now - dt.timedelta(minutes=hall.no_show_minutes)
    count = 0
    for ticket in Ticket.objects.filter(
        hall=hall,
        state=TicketState.CALLED,
        called_at__lte=limit,
        recalls__gte=hall.recalls_before_no_show,
    ).select_related("hall"):
        try:
            no_show(ticket, None, now=now)
        except (Conflict, InvalidTransition):
            continue
        count += 1
    return count


def window_day_end(hall: Hall, opened: dt.datetime) -> dt.datetime:
    """When a window opened (or signed in to) at ``opened`` is closed by the day's-end pass: its
    day's end; a window opened after that (a clerk working late) at the midnight after, so that
    it neither stays open into the next day nor gets closing events dated before its opening."""
    day = timezone.localtime(opened).date()
    ends = day_ends_at(hall, day)
    if opened >= ends:
        ends = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    return ends


def close_at_day_end(hall: Hall, *, now: dt.datetime | None = None) -> int:
    """The worker's day's-end pass for windows: a window still open (or paused, or with a clerk
    signed in) since a day that has ended closes and its clerk is signed out, with the window
    events dated at that day's end (:func:`window_day_end`). Left open, a window stayed "open" on
    the next morning's desk and its idle time ran through the night (or the weekend) in the KPIs.
    Run after :func:`hotline.hall.actions.tickets.end_days`, so nothing is still at it.

    One query finds the windows whose day has ended (most passes: none); only those are locked
    and read again, so the pass takes no row lock from a clerk signing in during the day."""
    now = now or clock.now()
    steps = [WindowAction.OPEN, WindowAction.SIGN_IN]
    candidates = (
        Window.objects.filter(hall=hall)
        .exclude(state=WindowState.CLOSED, clerk__isnull=True)
        .annotate(opened=Max("events__at", filter=Q(events__action__in=steps)))
    )
    count = 0
    for found in candidates:
        if found.opened is None or now < window_day_end(hall, found.opened):
            continue
        with transaction.atomic():
            # Two workers at once: the second finds the window closed after the first's lock.
            window = Window.objects.select_for_update().filter(pk=found.pk).first()
            if window is None or (window.state == WindowState.CLOSED and window.clerk_id is None):
                continue
            opened = (
                WindowEvent.objects.filter(window=window, action__in=steps)
                .order_by("-at", "-pk")
                .values_list("at", flat=True)
                .first()
            )
            if opened is None or now < (ends := window_day_end(hall, opened)):
                continue  # opened again since the first read
            if window.tickets.filter(state__in=(*BUSY, TicketState.HELD)).exists():
                continue  # a ticket of a day not yet ended: the clerk is still at work
            clerk = window.clerk
            if window.state != WindowState.CLOSED:
                _window_event(window, WindowAction.CLOSE, None, ends)
            window.state, window.pause_reason, window.clerk = WindowState.CLOSED, "", None
            window.save(update_fields=["state", "pause_reason", "clerk"])
            if clerk is not None:
                _window_event(window, WindowAction.SIGN_OUT, clerk, ends)
            count += 1
    return count
