"""The clerk's window page: sign in, call, serve, and every other window step, as plain forms.

Each button posts one action; the page comes back with the outcome (refusals as messages, with
nothing changed). The server decides what is allowed: the page only offers it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.cases.models import CaseAction, CaseState
from hotline.hall import actions, board
from hotline.hall.actions.windows import call_order, lunch_refusal, no_show_wait
from hotline.hall.forms import hall_matters, row_id
from hotline.hall.hours import window_rests
from hotline.hall.models import (
    Hall,
    Ticket,
    TicketAction,
    TicketState,
    Window,
    WindowMatter,
    WindowState,
)
from hotline.hall.rules import STAFF, allowed_actions
from hotline.matters.models import Matter
from hotline.org.models import Role, User


def is_hall_staff(user: object, hall: Hall) -> bool:
    """Whether ``user`` (possibly anonymous) is a clerk or the manager of ``hall``."""
    return isinstance(user, User) and user.has_role(*STAFF) and user.unit_id == hall.unit_id


def staff_hall(request: HttpRequest, code: str) -> tuple[Hall, User]:
    hall = get_object_or_404(Hall.objects.select_related("unit"), code=code)
    user = request.user
    assert isinstance(user, User)
    if not is_hall_staff(user, hall):
        raise PermissionDenied
    return hall, user


@login_required
def my_desk(request: HttpRequest) -> HttpResponse:
    """The navigation's link: the desk of the hall the user works in."""
    user = request.user
    assert isinstance(user, User)
    hall = Hall.objects.filter(unit=user.unit).first() if user.unit_id else None
    if hall is None or not user.has_role(*STAFF):
        raise PermissionDenied
    if user.has_role(Role.HALL_MANAGER):
        return redirect("hall:manage", code=hall.code)
    return redirect("hall:desk", code=hall.code)


#: The states of a case served on a ticket: all but withdrawn (the ticket moved to another
#: matter before anything was done on it).
SERVED_CASE_STATES = [s for s in CaseState if s != CaseState.WITHDRAWN]


#: A status htmx reads as "stop polling" (and swaps what came, a 2xx): the waiting list's
#: refresh once the clerk's session has ended.
STOP_POLLING = 286


def desk(request: HttpRequest, code: str) -> HttpResponse:
    refresh = request.htmx and request.GET.get("part") == "waiting"  # type: ignore[attr-defined]
    if not request.user.is_authenticated:
        if refresh:
            # The session ended with the desk open. A background poll is no step of the clerk's:
            # it does not take the page away to the login (HX-Redirect, hotline.web.htmx_login),
            # with what they were typing; the list says they were signed out, with the link
            # back, and stops polling.
            back = urlencode({"next": reverse("hall:desk", args=[code])})
            login = f"{resolve_url(settings.LOGIN_URL)}?{back}"
            return render(
                request, "hall/_desk_signed_out.html", {"login": login}, status=STOP_POLLING
            )
        return redirect_to_login(request.get_full_path())
    hall, user = staff_hall(request, code)
    now = clock.now()
    day = board.today(now)
    windows = list(hall.windows.select_related("clerk"))
    window = next((w for w in windows if w.clerk_id == user.pk), None)
    waiting = _waiting_for(window, windows, day) if window is not None else []
    no_shows = _no_shows(hall, day, now)
    if refresh:
        # The waiting list's own refresh (desk.html polls it): the list alone — not the current
        # ticket's finish matters, the held tickets, the hall's matters —, and the rest of the
        # page, with the forms a clerk may be filling in, stays as it is.
        busy = (
            window is not None
            and Ticket.objects.filter(
                window=window, state__in=[TicketState.CALLED, TicketState.SERVING]
            ).exists()
        )
        listed = {"hall": hall, "window": window, "waiting": waiting, "no_shows": no_shows}
        return render(request, "hall/_desk_waiting.html", listed | {"current": busy})
    current = held = None
    if window is not None:
        current = (
            Ticket.objects.filter(
                window=window, state__in=[TicketState.CALLED, TicketState.SERVING]
            )
            .select_related("matter")
            .first()
        )
        held = list(
            Ticket.objects.filter(window=window, state=TicketState.HELD).select_related("matter")
        )
    matters = list(hall_matters(hall))
    finish_matters: list[Matter] = []
    finish_ticked: set[int] = set()
    if current is not None:
        # The matters a clerk ticks as done on finishing: the window's own, the ticket's, and
        # those of the cases served on the ticket (一件事: a case per matter of the bundle) come
        # first; the hall's others stay offered, folded away (actions.finish takes any matter).
        assert window is not None
        own = set(window.served.values_list("matter_id", flat=True)) | {current.matter_id}
        own |= set(
            Matter.objects.filter(
                Q(cases__events__ticket=current) | Q(cases__submission__ticket=current)
            ).values_list("pk", flat=True)
        )
        # Ticked: the ticket's matter and those of the cases served on it (a bundle's, all of
        # them; walk-through, session 25, B-M2), not a case withdrawn when the ticket moved.
        finish_ticked = {current.matter_id} | set(
            Matter.objects.filter(
                Q(cases__events__ticket=current, cases__events__action=CaseAction.VISIT)
                | Q(cases__ticket=current),
                cases__state__in=SERVED_CASE_STATES,
            ).values_list("pk", flat=True)
        )
        finish_matters = [m for m in matters if m.pk in own]
        if current.matter_id not in {m.pk for m in finish_matters}:
            finish_matters.insert(0, current.matter)
    context: dict[str, Any] = {
        "hall": hall,
        "window": window,
        "windows": windows,
        "current": current,
        "allowed": allowed_actions(current.state, user, hall) if current else [],
        # The proved ticket a confirmed number would run into: named, with the one button.
        "holders_other": actions.holders_other(current)
        if current is not None and current.state == TicketState.CALLED
        else None,
        # A no-show before the hall's recalls or minutes is refused (actions.no_show): the desk
        # shows the rule and what is left instead of offering it.
        **_no_show_wait(current, hall, now),
        "held": held,
        "waiting": waiting,
        "no_shows": no_shows,
        "matters": matters,
        "finish_matters": finish_matters,
        "finish_ticked": finish_ticked,
        "finish_others": [m for m in matters if m not in finish_matters],
        "states": WindowState,
        "stranded": _stranded(window, windows, waiting),
        # A window resting in the hall's lunch break calls nobody (actions.windows._ready): the
        # desk says so, and when it calls again, instead of a "Call next" that is refused.
        "resting": lunch_refusal(window, now)
        if window is not None and window_rests(window, now)
        else "",
    }
    return render(request, "hall/desk.html", context)


def _stranded(window: Window | None, windows: list[Window], waiting: list[Ticket]) -> int:
    """How many of those waiting for this window are for matters no other open window serves:
    the sign-out question says so (signing out leaves them with nobody to call them; session
    24, M7)."""
    if window is None:
        return 0
    mine = [t for t in waiting if t.target_window_id in (None, window.pk)]
    if not mine:
        return 0
    others = [w.pk for w in windows if w.state == WindowState.OPEN and w.pk != window.pk]
    served = set(
        WindowMatter.objects.filter(window_id__in=others).values_list("matter_id", flat=True)
    )
    return sum(1 for t in mine if t.matter_id not in served)


def _no_show_wait(current: Ticket | None, hall: Hall, now: dt.datetime) -> dict[str, object]:
    """``no_show_wait``: what is left before ``current`` may be marked a no-show, as the refusal
    words it (empty when it may be, or is not called); ``no_show_in``: the seconds until its
    minutes run out, when they will (the desk offers "No-show" then without a reload: only the
    waiting list polls, and the button stayed disabled past the time its hint named)."""
    if current is None or current.state != TicketState.CALLED:
        return {"no_show_wait": "", "no_show_in": None}
    current.hall = hall
    wait = no_show_wait(current, now)
    if wait is None:
        return {"no_show_wait": "", "no_show_in": None}
    seconds = math.ceil((wait.until - now).total_seconds()) if wait.until is not None else None
    return {"no_show_wait": wait.text(), "no_show_in": seconds}


def _waiting_for(window: Window, windows: list[Window], day: dt.date) -> list[Ticket]:
    """What this window may call: first the tickets "Call next" takes, in the order it takes
    them (actions.windows.call_order, its own ordering: listed in arrival order, the list named
    a "next" that the call then passed over, as the window's heaviest matters come first), the
    first marked ``is_next``; then, offered only for a call out of order (actions.call_ticket),
    tickets of its matters transferred to another window that is not open (nobody calls them
    there)."""
    idle = [w.pk for w in windows if w.state != WindowState.OPEN and w.pk != window.pk]
    mine, sent_elsewhere = call_order(window, day, sent_to=idle)
    for place, t in enumerate(mine):
        t.is_next = place == 0  # type: ignore[attr-defined]
    return mine + sent_elsewhere


def _no_shows(hall: Hall, day: dt.date, now: dt.datetime) -> list[Any]:
    """The day's latest no-shows; reactivation is offered while the hall's tolerance runs
    (actions.reactivate refuses after)."""
    no_shows = list(
        Ticket.objects.filter(hall=hall, day=day, state=TicketState.NO_SHOW)
        .annotate(missed_at=Max("events__at", filter=Q(events__action=TicketAction.NO_SHOW)))
        .order_by("-pk")[:10]
    )
    since = now - dt.timedelta(minutes=hall.reactivate_minutes)
    for t in no_shows:
        t.may_reactivate = t.missed_at is not None and t.missed_at >= since  # type: ignore[attr-defined]
    return no_shows


#: Reasons are stored in 100-character columns (window and ticket events).
REASON_MAX = 100


def _reason(request: HttpRequest) -> str:
    reason = request.POST.get("reason", "")
    if len(reason) > REASON_MAX:
        raise actions.InvalidInput(
            _("Keep the reason to %(n)d characters.") % {"n": REASON_MAX}, field="reason"
        )
    return reason


def _ticket(hall: Hall, request: HttpRequest) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("hall", "window", "matter"),
        hall=hall,
        pk=row_id(request.POST.get("ticket")),
    )


def _window(hall: Hall, user: User) -> Window:
    window = hall.windows.filter(clerk=user).first()
    if window is None:
        raise actions.InvalidTransition(_("Sign in at a window first."))
    return window


def _optional(model: type[Any], value: str | None, **filters: Any) -> Any:
    pk = row_id(value)
    return model.objects.filter(pk=pk, **filters).first() if pk is not None else None


def _called(number: str) -> str:
    return _("Called %(number)s.") % {"number": number}


def _call_next(h: Hall, u: User, r: HttpRequest) -> str:
    ticket = actions.call_next(_window(h, u), u)
    return _called(ticket.number) if ticket else _("Nobody is waiting for this window.")


def _call_ticket(h: Hall, u: User, r: HttpRequest) -> str:
    ticket = _ticket(h, r)
    actions.call_ticket(_window(h, u), u, ticket, reason=_reason(r))
    return _called(ticket.number)


def _then(done: str, auto_called: Ticket | None) -> str:
    """The outcome, and the ticket auto-call called next (the clerk sees it at once)."""
    if auto_called is None:
        return done
    return f"{done} {_called(auto_called.number)}"


def _finish(h: Hall, u: User, r: HttpRequest) -> str:
    ids = [row_id(value) for value in r.POST.getlist("matters")]
    done = list(Matter.objects.filter(pk__in=[pk for pk in ids if pk is not None]))
    # The desk's boxes all unticked (the citizen lacked a paper, nothing could be done) record
    # no matter done; before, that recorded the ticket's own as done. A form without the boxes
    # (an older page) still means the ticket's matter.
    shown = r.POST.get("matters_shown") == "1"
    if shown and not done:
        finished = _("Finished; no matter recorded as done.")
        return _then(finished, actions.finish(_ticket(h, r), u, matters_done=[]))
    return _then(_("Finished."), actions.finish(_ticket(h, r), u, matters_done=done or None))


def _no_show(h: Hall, u: User, r: HttpRequest) -> str:
    return _then(_("Marked as a no-show."), actions.no_show(_ticket(h, r), u))


def _auto_call(h: Hall, u: User, r: HttpRequest) -> str:
    on = r.POST.get("on") == "1"
    actions.set_auto_call(_window(h, u), u, on)
    return _("Auto-call on.") if on else _("Auto-call off.")


def _transfer(h: Hall, u: User, r: HttpRequest) -> None:
    actions.transfer(
        _ticket(h, r),
        u,
        matter=_optional(Matter, r.POST.get("matter")),
        window=_optional(Window, r.POST.get("window"), hall=h),
        reason=_reason(r),
    )


def _released(done: str, numbers: list[str]) -> str:
    """The outcome, and the tickets transferred to the window that went back to their queue."""
    if not numbers:
        return done
    back = _(
        "%(count)d transferred here went back to their matter's queue, keeping their place: "
        "%(numbers)s."
    ) % {"count": len(numbers), "numbers": _(", ").join(numbers)}
    # Two sentences: a space between them in English, none in Chinese.
    return _("%(done)s %(then)s") % {"done": done, "then": back}


def _sign_out(h: Hall, u: User, r: HttpRequest) -> str:
    ended, released = actions.sign_out(_window(h, u), u)
    done = _("Signed out.")
    if ended:
        # After closing the tickets on hold there end with the day (nobody will call them back).
        done = _("Signed out. On hold here, ended with the day: %(numbers)s.") % {
            "numbers": _(", ").join(ended)
        }
    return _released(done, released)


def _then_nothing(_result: object) -> None:
    """The action's own message says it all (opening or pausing sends no ticket anywhere)."""


def _close(h: Hall, u: User, r: HttpRequest) -> str:
    released = actions.set_state(_window(h, u), u, WindowState.CLOSED)
    return _released(_("Window closed."), released)


Handler = Callable[[Hall, User, HttpRequest], "str | None"]


def _start(hall: Hall, user: User, request: HttpRequest) -> str:
    merged = actions.start(
        _ticket(hall, request),
        user,
        holder_seen=request.POST.get("holder_seen") == "1",
        end_other=row_id(request.POST.get("end_other")),
    )
    if merged is None:
        return ""
    return _(
        "Service started. The holder's other ticket %(number)s for this matter has ended: one "
        "ticket per person."
    ) % {"number": merged.number}


#: action → (handler, message when the handler has none of its own).
ACTIONS: dict[str, tuple[Handler, Callable[[], str]]] = {
    "sign_in": (
        lambda h, u, r: actions.sign_in(
            get_object_or_404(Window, hall=h, pk=row_id(r.POST.get("window"))), u
        ),
        lambda: _("Signed in."),
    ),
    "sign_out": (_sign_out, lambda: _("Signed out.")),
    "open": (
        lambda h, u, r: _then_nothing(actions.set_state(_window(h, u), u, WindowState.OPEN)),
        lambda: _("Window open."),
    ),
    "pause": (
        lambda h, u, r: _then_nothing(
            actions.set_state(_window(h, u), u, WindowState.PAUSED, reason=_reason(r))
        ),
        lambda: _("Window paused."),
    ),
    "close": (_close, lambda: _("Window closed.")),
    "call_next": (_call_next, lambda: ""),
    "call_ticket": (_call_ticket, lambda: ""),
    "recall": (lambda h, u, r: actions.recall(_ticket(h, r), u), lambda: _("Called again.")),
    "no_show": (_no_show, lambda: ""),
    "auto_call": (_auto_call, lambda: ""),
    "reactivate": (
        lambda h, u, r: actions.reactivate(_ticket(h, r), u),
        lambda: _("Back in the queue."),
    ),
    "start": (_start, lambda: _("Service started.")),
    "finish": (_finish, lambda: ""),
    "hold": (
        lambda h, u, r: actions.hold(_ticket(h, r), u, reason=_reason(r)),
        lambda: _("On hold."),
    ),
    "call_back": (lambda h, u, r: actions.call_back(_ticket(h, r), u), lambda: _("Called back.")),
    "transfer": (_transfer, lambda: _("Transferred; the ticket keeps its number.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, code: str) -> HttpResponse:
    hall, user = staff_hall(request, code)
    if request.method == "GET":
        # A tap on a desk whose session had ended went to the login page, which then sends the
        # browser here with GET: back to the desk, the stale tap not replayed.
        messages.warning(
            request, _("Your session had ended, so nothing was done. Check the desk and try again.")
        )
        return redirect("hall:desk", code=code)
    entry = ACTIONS.get(request.POST.get("action", ""))
    if entry is None:
        messages.error(request, _("Unknown action."))
        return redirect("hall:desk", code=code)
    handler, done = entry
    try:
        messages.success(request, handler(hall, user, request) or done())
    except actions.HallError as exc:
        messages.error(request, exc.message)
    return redirect("hall:desk", code=code)
