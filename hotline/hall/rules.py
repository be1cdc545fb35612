"""Which ticket steps are allowed from which state, and who may take them: the one table.

The write path (:mod:`hotline.hall.actions`) enforces it; the clerk's page asks
:func:`allowed_actions` so it offers only what the server would accept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from hotline.hall.models import Hall, TicketAction, TicketState
from hotline.org.models import Role, User

W, C, S, H = TicketState.WAITING, TicketState.CALLED, TicketState.SERVING, TicketState.HELD
STAFF = frozenset({Role.HALL_CLERK, Role.HALL_MANAGER})
MANAGER = frozenset({Role.HALL_MANAGER})

M = TypeVar("M", bound=Model)


class HallError(Exception):
    """Base of the refusals the write path raises; the message is for the person."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message, self.field = message, field


class NotAllowed(HallError):
    pass


class InvalidTransition(HallError):
    pass


class InvalidInput(HallError):
    pass


class Conflict(HallError):
    """Someone else changed the ticket or window first (another window called it)."""


class CapReached(HallError):
    pass


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str | None  # None: the state stays
    roles: frozenset[str] | None  # None: the public (kiosk, portal) may take it
    system: bool = False  # the worker (no actor) may take it


RULES: dict[str, Rule] = {
    TicketAction.CALL: Rule(frozenset({W}), C, STAFF),
    TicketAction.RECALL: Rule(frozenset({C}), None, STAFF),
    TicketAction.START: Rule(frozenset({C}), S, STAFF),
    TicketAction.FINISH: Rule(frozenset({S}), TicketState.DONE, STAFF),
    TicketAction.NO_SHOW: Rule(frozenset({C}), TicketState.NO_SHOW, STAFF, system=True),
    # A no-show who turns up within the hall's tolerance goes back to their place in the queue.
    TicketAction.REACTIVATE: Rule(frozenset({TicketState.NO_SHOW}), W, STAFF),
    # Hold: the citizen fetches a missing copy; the window serves others and calls them back.
    TicketAction.HOLD: Rule(frozenset({C, S}), H, STAFF),
    TicketAction.CALL_BACK: Rule(frozenset({H}), C, STAFF),
    # Transfer before service ends keeps the number: back to waiting for another matter or window.
    TicketAction.TRANSFER: Rule(frozenset({W, C, S, H}), W, STAFF),
    TicketAction.CANCEL: Rule(frozenset({W, H}), TicketState.CANCELLED, None),
    # The hall's day is over (the worker after closing, or the clerk signing out then): whatever
    # is still open ends, as neither served nor abandoned.
    TicketAction.DAY_END: Rule(frozenset({W, C, S, H}), TicketState.ENDED, STAFF, system=True),
    # The holder checks in an appointment for the same matter: its ticket takes this one's
    # place (the check-in is public, at the kiosk, or by staff at the reception desk).
    TicketAction.REPLACE: Rule(frozenset({W}), TicketState.ENDED, None),
    # The holder lost the slip: staff at the reception desk print it again, or the holder gets
    # their appointment's ticket again at the kiosk. The state stays; the step is recorded.
    TicketAction.REPRINT: Rule(frozenset({W, C, S, H}), None, None),
    # The clerk serves the person in front of them on the ticket they came with (a kiosk ticket
    # under their number, ID seen) while their proved ticket for the matter (a booking's,
    # checked in meanwhile) still waits: that one ends, one ticket per person and matter.
    TicketAction.MERGE: Rule(frozenset({W}), TicketState.ENDED, STAFF),
}


def check(action: str, state: str, actor: User | None, hall: Hall) -> Rule:
    """The rule for ``action`` from ``state``, or the refusal a person can read."""
    rule = RULES[action]
    if state not in rule.sources:
        raise InvalidTransition(
            _("Ticket in state %(state)s cannot be %(action)s.")
            % {"state": TicketState(state).label, "action": TicketAction(action).label}
        )
    if rule.roles is not None and not (actor is None and rule.system):
        if actor is None or not actor.has_role(*rule.roles):
            raise NotAllowed(_("Only the hall's clerks and manager may do this."))
        if actor.unit_id != hall.unit_id:
            raise NotAllowed(_("You work for another hall."))
    return rule


def allowed_actions(state: str, actor: User | None, hall: Hall) -> list[str]:
    found = []
    for action in RULES:
        try:
            check(action, state, actor, hall)
        except HallError:
            continue
        found.append(action)
    return found


def own_hall_only(
    records: QuerySet[M], user: User, *, hall: str = "hall", also_sees_all: Iterable[str] = ()
) -> QuerySet[M]:
    """The records a person may look up by number or id: hall staff only their own hall's.

    Another hall's record is then not found (404), exactly as a number nobody has: a 403 would
    confirm that the number exists, and trying numbers would tell a clerk which are real. The
    scope is in the query, so the record is never fetched and then compared. Hall staff who also
    hold a role in ``also_sees_all`` (a leader helping in any hall) are not scoped, nor is anyone
    who is not hall staff: whether they may come in at all is the view's question, asked first.
    ``hall`` is the path from the record to its hall."""
    if user.has_role(*STAFF) and not user.has_role(*also_sees_all):
        return records.filter(**{f"{hall}__unit_id": user.unit_id})
    return records
