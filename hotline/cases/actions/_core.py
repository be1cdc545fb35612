"""The step shared by every case action: check the rule, conditional update, append the event,
refresh the stored promised date from the events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hotline.cases import deadlines
from hotline.cases.models import Case, CaseAction, CaseEvent
from hotline.cases.rules import Conflict, check
from hotline.hall.models import Ticket
from hotline.org.models import User


def stale() -> str:
    return _("This case was changed by someone else. Reload and try again.")


def steps_of(case: Case) -> list[deadlines.Step]:
    return [
        deadlines.Step(at, to_state, action)
        for at, to_state, action in case.events.order_by("seq").values_list(
            "at", "to_state", "action"
        )
    ]


def append(
    case: Case,
    action: str,
    actor: User | None,
    *,
    now: dt.datetime,
    to_state: str | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    ticket: Ticket | None = None,
) -> CaseEvent:
    """Move ``case`` and append its event atomically, without the rule check (callers check).

    The UPDATE matches the case's version and state and its row count is checked: of two clerks
    acting on one case at once, one wins and the other gets :class:`Conflict`.
    """
    fields: dict[str, Any] = dict(changes or {})
    target = to_state or case.state
    current = case.version
    fields.update(state=target, version=current + 1)
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=current, state=case.state).update(
            **fields
        )
        if updated != 1:
            raise Conflict(stale())
        try:
            with transaction.atomic():
                event = CaseEvent.objects.create(
                    case=case,
                    seq=current + 1,
                    action=action,
                    at=now,
                    actor=actor,
                    ticket=ticket,
                    from_state=case.state,
                    to_state=target,
                    reason=reason,
                    payload=payload or {},
                )
        except IntegrityError:
            raise Conflict(stale()) from None
        before = case.state
        for name, value in fields.items():
            setattr(case, name, value)
        # The date moves only when the clock starts, pauses or runs again.
        if action != CaseAction.OPEN and (before in deadlines.PAUSED) == (
            target in deadlines.PAUSED
        ):
            return event
        due = deadlines.due_at(steps_of(case), case.promised_days, now=now)
        if due != case.due_at:
            Case.objects.filter(pk=case.pk).update(due_at=due)
            case.due_at = due
    return event


def step(
    case: Case,
    action: str,
    actor: User | None,
    *,
    now: dt.datetime,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    ticket: Ticket | None = None,
    to_state: str | None = None,
) -> CaseEvent:
    """Check the transition table on the case as it is now, then :func:`append`.

    Callers may hold an old copy (a page, a list): the rule is checked on the stored state, and
    two clerks acting at once are still told apart by the conditional update."""
    case.refresh_from_db(fields=["state", "version", "due_at", "urge_level", "outcome"])
    rule = check(action, case, actor)
    return append(
        case,
        action,
        actor,
        now=now,
        to_state=to_state or rule.target,
        changes=changes,
        reason=reason,
        payload=payload,
        ticket=ticket,
    )
