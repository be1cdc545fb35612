"""The hall manager runs the floor from her live board (walk of a manager's day, session 28, F6):
she opens and closes windows and puts clerks at them.

Her steps go through the window actions (:mod:`hotline.hall.actions.windows`) and name her: a
window event's clerk column holds who acted (as for a clerk's own steps), and a sign-in or
sign-out she makes for someone else carries that clerk's username as its reason.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall.actions.windows import (
    BUSY,
    Leaving,
    _refuse_with_held,
    _release_transferred,
    _window_event,
    set_state,
)
from hotline.hall.models import Ticket, Window, WindowAction, WindowState
from hotline.hall.rules import (
    STAFF,
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
)
from hotline.org.models import Role, User


def _manager_of(window: Window, manager: User) -> None:
    if not manager.has_role(Role.HALL_MANAGER) or manager.unit_id != window.hall.unit_id:
        raise NotAllowed(_("Only the hall's manager may do this."))


def _serving_at(window: Window) -> Ticket | None:
    return window.tickets.filter(state__in=BUSY).order_by("pk").first()


def manager_set_state(
    window: Window, manager: User, state: str, *, now: dt.datetime | None = None
) -> list[str]:
    """The manager opens or closes a window. Open only with a clerk at it: an open window with
    nobody there counts in every queue's estimate and calls no one. Closing is refused while a
    ticket is called or served there, or held there before the hall closes (:func:`set_state`
    says which); the tickets transferred to it go back to their matter's queue, keeping their
    place: their numbers are returned."""
    _manager_of(window, manager)
    if state not in (WindowState.OPEN, WindowState.CLOSED):
        raise InvalidInput(_("Unknown window state."))
    window.refresh_from_db(fields=["state", "clerk", "pause_reason"])
    if state == WindowState.OPEN and window.clerk_id is None:
        raise InvalidTransition(
            _("Nobody is at window %(n)d: put a clerk there first.") % {"n": window.number}
        )
    return set_state(window, manager, state, now=now)


def _send_away(window: Window, manager: User, now: dt.datetime) -> Leaving:
    """The manager ends the session of the clerk at ``window`` (locked by the caller): as at
    the clerk's own sign-out (:func:`_leave`), refused while a ticket is at the window."""
    clerk = window.clerk
    assert clerk is not None
    busy = _serving_at(window)
    if busy is not None:
        raise InvalidTransition(
            _("%(name)s is serving ticket %(number)s at window %(n)d: finish or transfer it first.")
            % {
                "name": clerk.get_full_name() or clerk.username,
                "number": busy.number,
                "n": window.number,
            }
        )
    ended = _refuse_with_held(window, manager, now)
    if window.state != WindowState.CLOSED:
        window.state, window.pause_reason = WindowState.CLOSED, ""
        _window_event(window, WindowAction.CLOSE, manager, now)
    window.clerk = None
    window.save(update_fields=["state", "pause_reason", "clerk"])
    _window_event(window, WindowAction.SIGN_OUT, manager, now, clerk.username)
    return Leaving(ended, _release_transferred(window, manager, now))


def assign_clerk(
    window: Window, clerk: User | None, manager: User, *, now: dt.datetime | None = None
) -> Leaving:
    """The manager puts ``clerk`` (a clerk of the hall, or herself) at ``window`` and opens it;
    the clerk's session at any other window ends first (that window closes, as at a sign-out).
    With ``clerk`` None she signs out whoever is at ``window``.

    Refused, with the reason: while the clerk is calling or serving someone at their old window
    (finish or transfer first), while the window is busy or another clerk is at it (move them
    first: nobody is pushed off a window unseen), or for a person who is not staff of this hall.
    Returns what leaving the old window did to its tickets (:class:`Leaving`)."""
    now = now or clock.now()
    _manager_of(window, manager)
    if clerk is not None and (not clerk.has_role(*STAFF) or clerk.unit_id != window.hall.unit_id):
        raise InvalidInput(
            _("%(name)s is not a clerk of this hall.")
            % {"name": clerk.get_full_name() or clerk.username},
            field="clerk",
        )
    with transaction.atomic():
        locked = list(
            Window.objects.select_for_update(of=("self",))
            .filter(Q(pk=window.pk) | Q(clerk=clerk) if clerk else Q(pk=window.pk))
            .select_related("hall", "clerk")
            .order_by("pk")
        )
        target = next(w for w in locked if w.pk == window.pk)
        if clerk is None:
            if target.clerk_id is None:
                return Leaving([], [])
            left = _send_away(target, manager, now)
        else:
            if target.clerk_id == clerk.pk:
                left = Leaving([], [])
            else:
                if target.clerk_id is not None:
                    assert target.clerk is not None
                    raise Conflict(
                        _("%(name)s is at window %(n)d: move them or sign them out first.")
                        % {
                            "name": target.clerk.get_full_name() or target.clerk.username,
                            "n": target.number,
                        }
                    )
                busy = _serving_at(target)
                if busy is not None:
                    raise InvalidTransition(
                        _("Window %(n)d is serving ticket %(number)s.")
                        % {"n": target.number, "number": busy.number}
                    )
                left = Leaving([], [])
                for old in locked:
                    if old.pk != target.pk:
                        left = _send_away(old, manager, now)
                target.clerk = clerk
                target.save(update_fields=["clerk"])
                _window_event(target, WindowAction.SIGN_IN, manager, now, clerk.username)
            if target.state != WindowState.OPEN:
                set_state(target, manager, WindowState.OPEN, now=now)
    window.refresh_from_db(fields=["state", "clerk", "pause_reason"])
    return left
