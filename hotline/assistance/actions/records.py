"""帮办 and 代办 records: start one, then move it a step at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.assistance.models import (
    AssistAction,
    Assistance,
    AssistanceEvent,
    AssistState,
    Kind,
    Outcome,
)
from hotline.assistance.rules import check, may_act
from hotline.hall import identity
from hotline.hall.models import Hall, Ticket
from hotline.hall.rules import Conflict, InvalidInput
from hotline.matters.models import Matter
from hotline.org.models import Role, User
from hotline.ratings import visits


def _matters(matters: Iterable[Matter]) -> list[Matter]:
    chosen = list(dict.fromkeys(matters))
    if not chosen:
        raise InvalidInput(_("Choose the matters the citizen is helped with."), field="matters")
    return chosen


def _start(
    kind: str,
    hall: Hall,
    actor: User,
    matters: Iterable[Matter],
    *,
    state: str,
    citizen_name: str,
    phone: str,
    ticket: Ticket | None,
    now: dt.datetime,
    **extra: Any,
) -> Assistance:
    may_act(actor, hall, kind)
    chosen = _matters(matters)
    if ticket is not None and ticket.hall_id != hall.pk:
        raise InvalidInput(_("That ticket is from another hall."), field="ticket")
    key = ticket.holder_key if ticket else ""
    if phone.strip():
        key = identity.holder_key(phone=phone)
    with transaction.atomic():
        record = Assistance.objects.create(
            kind=kind,
            hall=hall,
            helper=actor,
            by_leader=actor.has_role(Role.LEADER),
            citizen_name=identity.mask_name(citizen_name),
            citizen_key=key,
            ticket=ticket,
            case_numbers=visits.case_numbers(ticket) if ticket else [],
            state=state,
            started_at=now,
            **extra,
        )
        record.matters.set(chosen)
        AssistanceEvent.objects.create(
            assistance=record,
            seq=1,
            action=AssistAction.START,
            at=now,
            actor=actor,
            from_state="",
            to_state=state,
            payload={"matters": [m.code for m in chosen], "kind": kind},
        )
    return record


def start_help(
    hall: Hall,
    actor: User,
    *,
    matters: Iterable[Matter],
    citizen_name: str = "",
    phone: str = "",
    ticket: Ticket | None = None,
    now: dt.datetime | None = None,
) -> Assistance:
    """帮办 begins: who helps (a leader's 帮办 is recorded as such), whom, with which matters."""
    return _start(
        Kind.HELP,
        hall,
        actor,
        matters,
        state=AssistState.OPEN,
        citizen_name=citizen_name,
        phone=phone,
        ticket=ticket,
        now=now or clock.now(),
    )


def start_proxy(
    hall: Hall,
    actor: User,
    *,
    matters: Iterable[Matter],
    applicant_name: str,
    authoriser_name: str,
    authorisation_ref: str,
    authorised_until: dt.date,
    phone: str = "",
    ticket: Ticket | None = None,
    now: dt.datetime | None = None,
) -> Assistance:
    """代办 is taken on under a written authorisation that has not expired."""
    now = now or clock.now()
    ref = (authorisation_ref or "").strip()
    if not ref or not (authoriser_name or "").strip():
        raise InvalidInput(
            _("Record the written authorisation: who signed it and its reference."),
            field="authorisation_ref",
        )
    if authorised_until < timezone.localtime(now).date():
        raise InvalidInput(_("The authorisation has expired."), field="authorised_until")
    return _start(
        Kind.PROXY,
        hall,
        actor,
        matters,
        state=AssistState.AUTHORISED,
        citizen_name=applicant_name,
        phone=phone,
        ticket=ticket,
        now=now,
        authoriser_name=identity.mask_name(authoriser_name),
        authorisation_ref=ref[:60],
        authorised_until=authorised_until,
    )


def _step(
    record: Assistance,
    actor: User,
    action: str,
    *,
    now: dt.datetime,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> AssistanceEvent:
    rule = check(record, actor, action)
    current = record.version
    fields = {**(changes or {}), "state": rule.target, "version": current + 1}
    with transaction.atomic():
        if Assistance.objects.filter(pk=record.pk, version=current).update(**fields) != 1:
            raise Conflict(_("This record was changed meanwhile. Reload it and try again."))
        try:
            with transaction.atomic():
                event = AssistanceEvent.objects.create(
                    assistance=record,
                    seq=current + 1,
                    action=action,
                    at=now,
                    actor=actor,
                    from_state=record.state,
                    to_state=rule.target,
                    note=note.strip(),
                    payload={k: str(v) for k, v in (changes or {}).items()},
                )
        except IntegrityError:
            raise Conflict(
                _("This record was changed meanwhile. Reload it and try again.")
            ) from None
        for name, value in fields.items():
            setattr(record, name, value)
    return event


def end_help(
    record: Assistance,
    actor: User,
    *,
    outcome: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> AssistanceEvent:
    """帮办 ends with its outcome (done, partly, not done, referred elsewhere)."""
    check(record, actor, AssistAction.END)  # who and when before what was typed
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose the outcome."), field="outcome")
    if outcome != Outcome.DONE and not note.strip():
        raise InvalidInput(_("Say what is left and why."), field="note")
    now = now or clock.now()
    changes = {"ended_at": now, "outcome": outcome, "note": note.strip()}
    return _step(record, actor, AssistAction.END, now=now, note=note, changes=changes)


def _authorised(record: Assistance, now: dt.datetime) -> None:
    if record.authorised_until and record.authorised_until < timezone.localtime(now).date():
        raise InvalidInput(_("The authorisation has expired."), field="authorised_until")


def accept(record: Assistance, actor: User, *, now: dt.datetime | None = None) -> AssistanceEvent:
    """代办: the hall takes the applicant's matters on."""
    now = now or clock.now()
    _authorised(record, now)
    return _step(record, actor, AssistAction.ACCEPT, now=now)


def submit(
    record: Assistance, actor: User, *, note: str = "", now: dt.datetime | None = None
) -> AssistanceEvent:
    """代办: the application is lodged for the applicant (say where: the case numbers)."""
    now = now or clock.now()
    _authorised(record, now)
    return _step(record, actor, AssistAction.SUBMIT, now=now, note=note)


def complete(
    record: Assistance,
    actor: User,
    *,
    outcome: str = Outcome.DONE,
    note: str = "",
    now: dt.datetime | None = None,
) -> AssistanceEvent:
    """代办: the result is handed to the applicant."""
    check(record, actor, AssistAction.COMPLETE)
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose the outcome."), field="outcome")
    now = now or clock.now()
    changes = {"ended_at": now, "outcome": outcome, "note": note.strip()}
    return _step(record, actor, AssistAction.COMPLETE, now=now, note=note, changes=changes)


def withdraw(
    record: Assistance, actor: User, *, note: str, now: dt.datetime | None = None
) -> AssistanceEvent:
    """代办: withdrawn (the applicant revoked it, or came themselves), with the reason."""
    check(record, actor, AssistAction.WITHDRAW)
    if not note.strip():
        raise InvalidInput(_("Say why it is withdrawn."), field="note")
    now = now or clock.now()
    changes = {"ended_at": now, "note": note.strip()}
    return _step(record, actor, AssistAction.WITHDRAW, now=now, note=note, changes=changes)
