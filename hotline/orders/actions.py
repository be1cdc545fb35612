"""The one write path for work orders: a function per action.

Every function authorises (role, unit, state — :mod:`hotline.orders.rules`), validates its input,
then in one transaction moves the order with a conditional update on its ``version`` and appends an
:class:`~hotline.orders.models.Event`. Two people acting at once: one update matches the version,
the other matches nothing and gets :class:`Conflict`; nothing is applied twice. Side effects
(notifications) run only after commit. The web UI, the API, Open311, imports and the worker all
call these functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from hotline import clock
from hotline.orders import notify
from hotline.orders.models import (
    Action,
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
from hotline.orders.rules import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    check,
)
from hotline.org.models import Category, Role, Unit, UnitKind, User
from hotline.sla import deadlines
from hotline.sla.models import Urgency

__all__ = [
    "Conflict",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "accept",
    "answer",
    "approve_extension",
    "approve_reply",
    "approve_return",
    "callback",
    "cancel",
    "close",
    "comment",
    "dispatch",
    "first_contact",
    "mark_overdue",
    "merge",
    "redispatch",
    "register",
    "reject_extension",
    "reject_reply",
    "reject_return",
    "reopen",
    "reply",
    "request_extension",
    "request_return",
    "supervise",
    "urge",
]

#: A supervision longer than a quarter is a data-entry error, not a deadline.
MAX_SUPERVISION_DAYS = 60

_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,19}$")


# --- the core ---------------------------------------------------------------------------------


def _apply(
    order: WorkOrder,
    actor: User | None,
    action: Action,
    *,
    now: dt.datetime,
    to_state: State | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    expected_version: int | None = None,
    co_units: Iterable[Unit] | None = None,
) -> Event:
    """Move ``order`` and append its event atomically; refuse a stale version."""
    rule = check(order, actor, action)
    new_state = to_state or rule.target or State(order.state)
    fields: dict[str, Any] = dict(changes or {})
    current = order.version
    if expected_version is not None and expected_version != current:
        raise Conflict(_("This order was changed by someone else. Reload it and try again."))
    fields.update(state=new_state, version=current + 1, updated_at=now)
    with transaction.atomic():
        updated = WorkOrder.objects.filter(pk=order.pk, version=current).update(**fields)
        if updated != 1:
            raise Conflict(_("This order was changed by someone else. Reload it and try again."))
        lead_unit_id = fields.get("lead_unit_id", order.lead_unit_id)
        try:
            with transaction.atomic():
                event = Event.objects.create(
                    order=order,
                    seq=current + 1,
                    action=action,
                    actor=actor,
                    actor_unit_id=actor.unit_id if actor else None,
                    at=now,
                    from_state=order.state,
                    to_state=new_state,
                    unit_id=lead_unit_id,
                    reason=reason,
                    payload=payload or {},
                )
        except IntegrityError:
            raise Conflict(
                _("This order was changed by someone else. Reload it and try again.")
            ) from None
        if co_units is not None:
            order.co_units.set(co_units)
        for name, value in fields.items():
            setattr(order, name, value)
        transaction.on_commit(lambda: notify.event_committed(event))
    return event


def _aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    """Refuse a time without a zone: it would be compared against aware deadlines."""
    if value is not None and timezone.is_naive(value):
        raise InvalidInput(_("Give the time with its time zone."), field=field)
    return value


def _text(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    return text


def _choice(value: str, choices: type, field: str) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        raise InvalidInput(_("%(value)r is not a valid choice.") % {"value": value}, field=field)
    return value


def _handling_unit(unit: Unit | None, field: str = "lead_unit") -> Unit:
    if unit is None:
        raise InvalidInput(_("Choose a handling unit."), field=field)
    if not unit.active or unit.kind == UnitKind.HOTLINE_CENTRE:
        raise InvalidInput(_("%(unit)s cannot receive orders.") % {"unit": unit.name}, field=field)
    return unit


def _co_units(lead: Unit, co_units: Iterable[Unit] | None) -> list[Unit]:
    units = list(dict.fromkeys(co_units or ()))
    for unit in units:
        _handling_unit(unit, "co_units")
    if lead in units:
        raise InvalidInput(_("The lead unit cannot also be a co-unit."), field="co_units")
    return units


def _next_number(day: dt.date) -> str:
    """``YYYYMMDD-NNNNNN`` from a per-day counter row; the row lock serialises concurrent calls."""
    with transaction.atomic():
        if not DailyCounter.objects.filter(day=day).update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    DailyCounter.objects.create(day=day, last=1)
            except IntegrityError:
                DailyCounter.objects.filter(day=day).update(last=F("last") + 1)
        last = DailyCounter.objects.values_list("last", flat=True).get(day=day)
    return f"{day:%Y%m%d}-{last:06d}"


def _dispatch_fields(order: WorkOrder, lead: Unit, now: dt.datetime) -> dict[str, Any]:
    terms = deadlines.terms_for(order.category, order.urgency)
    return {
        "lead_unit_id": lead.pk,
        "dispatched_at": now,
        "accepted_at": None,
        "overdue": False,
        "accept_urged_for": None,
        "reply_urged_for": None,
        "extension_days": None,
        **deadlines.dispatch_deadlines(now, terms),
    }


# --- intake -----------------------------------------------------------------------------------


def register(
    actor: User | None,
    *,
    title: str,
    description: str,
    channel: str = Channel.PHONE,
    citizen_name: str = "",
    citizen_phone: str = "",
    citizen_email: str = "",
    anonymous: bool = False,
    address: str = "",
    street: Unit | None = None,
    community: Unit | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    category: Category | None = None,
    urgency: str = Urgency.NORMAL,
    kind: str = Kind.HELP,
    now: dt.datetime | None = None,
) -> WorkOrder:
    """受理: create an order in state ``registered``. ``actor=None`` is a self-service channel."""
    if actor is not None and not actor.has_role(Role.OPERATOR, Role.DISPATCHER):
        raise NotAllowed(_("Only operators and dispatchers register orders."))
    now = now or clock.now()
    title = _text(title, "title", _("Give the order a title."))[:200]
    description = _text(description, "description", _("Describe the request."))
    _choice(channel, Channel, "channel")
    _choice(urgency, Urgency, "urgency")
    _choice(kind, Kind, "kind")
    phone = citizen_phone.strip()
    if phone and not _PHONE.match(phone):
        raise InvalidInput(_("Enter a valid phone number."), field="citizen_phone")
    email = citizen_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(_("Enter a valid e-mail address."), field="citizen_email") from None
    if street is not None and (street.kind != UnitKind.STREET or not street.active):
        raise InvalidInput(_("Choose a street or town."), field="street")
    if community is not None and (
        community.kind != UnitKind.NEIGHBOURHOOD
        or not community.active
        or (street is not None and community.parent_id != street.pk)
    ):
        raise InvalidInput(_("Choose a neighbourhood committee of the street."), field="community")
    if category is not None and not category.active:
        raise InvalidInput(_("This category is no longer used."), field="category")
    for value, low, high, field in (
        (latitude, -90, 90, "latitude"),
        (longitude, -180, 180, "longitude"),
    ):
        if value is not None and not low <= value <= high:
            raise InvalidInput(_("Coordinates are out of range."), field=field)
    with transaction.atomic():
        order = WorkOrder.objects.create(
            number=_next_number(timezone.localtime(now).date()),
            channel=channel,
            citizen_name=citizen_name.strip()[:50],
            citizen_phone=phone,
            citizen_email=email,
            anonymous=anonymous,
            title=title,
            description=description,
            address=address.strip()[:200],
            street=street,
            community=community,
            latitude=latitude,
            longitude=longitude,
            category=category,
            urgency=urgency,
            kind=kind,
            state=State.REGISTERED,
            version=1,
            registered_at=now,
            registered_by=actor,
            updated_at=now,
        )
        Event.objects.create(
            order=order,
            seq=1,
            action=Action.REGISTER,
            actor=actor,
            actor_unit_id=actor.unit_id if actor else None,
            at=now,
            from_state="",
            to_state=State.REGISTERED,
            payload={"channel": channel},
        )
    return order


def answer(
    order: WorkOrder,
    actor: User,
    *,
    text: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """直接答复: the centre answers at intake (e.g. a consultation) and the order is done."""
    now = now or clock.now()
    text = _text(text, "text", _("Write the answer given to the citizen."))
    return _apply(
        order,
        actor,
        Action.ANSWER,
        now=now,
        expected_version=expected_version,
        changes={
            "reply_text": text,
            "reply_result": ReplyResult.EXPLAINED,
            "replied_at": now,
            "closed_at": now,
        },
        payload={"text": text},
    )


# --- dispatch ---------------------------------------------------------------------------------


def dispatch(
    order: WorkOrder,
    actor: User | None,
    *,
    lead_unit: Unit,
    co_units: Iterable[Unit] | None = None,
    note: str = "",
    auto: bool = False,
    model_version: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """派单: send to one lead unit (主办) and optional co-units (协办); deadlines start now."""
    now = now or clock.now()
    lead = _handling_unit(lead_unit)
    co = _co_units(lead, co_units)
    payload: dict[str, Any] = {"lead_unit": lead.code, "co_units": [u.code for u in co]}
    if auto:
        payload.update(auto=True, model_version=model_version)
    return _apply(
        order,
        actor,
        Action.DISPATCH,
        now=now,
        expected_version=expected_version,
        changes=_dispatch_fields(order, lead, now),
        co_units=co,
        reason=note.strip(),
        payload=payload,
    )


def redispatch(
    order: WorkOrder,
    actor: User,
    *,
    lead_unit: Unit,
    co_units: Iterable[Unit] | None = None,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """转派: send to another unit; its deadlines start afresh."""
    now = now or clock.now()
    reason = _text(reason, "reason", _("Say why the order is redispatched."))
    lead = _handling_unit(lead_unit)
    if lead.pk == order.lead_unit_id:
        raise InvalidInput(_("The order is already with this unit."), field="lead_unit")
    co = _co_units(lead, co_units)
    return _apply(
        order,
        actor,
        Action.REDISPATCH,
        now=now,
        expected_version=expected_version,
        changes=_dispatch_fields(order, lead, now),
        co_units=co,
        reason=reason,
        payload={
            "lead_unit": lead.code,
            "co_units": [u.code for u in co],
            "previous_unit": order.lead_unit.code if order.lead_unit else None,
        },
    )


def accept(
    order: WorkOrder,
    actor: User,
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """签收."""
    now = now or clock.now()
    return _apply(
        order,
        actor,
        Action.ACCEPT,
        now=now,
        expected_version=expected_version,
        changes={"accepted_at": now},
    )


def request_return(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """退单: the unit says the order is not theirs; a dispatcher decides."""
    now = now or clock.now()
    check(order, actor, Action.RETURN)
    reason = _text(reason, "reason", _("Say why this order is not your unit's."))
    if order.return_due is not None and now > order.return_due:
        raise InvalidInput(_("The return window for this order has passed."), field="reason")
    return _apply(
        order,
        actor,
        Action.RETURN,
        now=now,
        expected_version=expected_version,
        reason=reason,
        changes={"extension_days": None},
    )


def approve_return(
    order: WorkOrder,
    actor: User,
    *,
    lead_unit: Unit,
    co_units: Iterable[Unit] | None = None,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """Approve a return by redispatching to the right unit (a correction for dispatch models)."""
    now = now or clock.now()
    lead = _handling_unit(lead_unit)
    if lead.pk == order.lead_unit_id:
        raise InvalidInput(
            _("Choose a different unit than the one returning it."), field="lead_unit"
        )
    co = _co_units(lead, co_units)
    return _apply(
        order,
        actor,
        Action.APPROVE_RETURN,
        now=now,
        expected_version=expected_version,
        changes=_dispatch_fields(order, lead, now),
        co_units=co,
        reason=note.strip(),
        payload={
            "lead_unit": lead.code,
            "co_units": [u.code for u in co],
            "returned_by": order.lead_unit.code if order.lead_unit else None,
        },
    )


def reject_return(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """The unit must keep the order: back to the state it was returned from."""
    now = now or clock.now()
    check(order, actor, Action.REJECT_RETURN)
    reason = _text(reason, "reason", _("Say why the unit must handle this order."))
    asked = order.events.filter(action=Action.RETURN).order_by("-seq").first()
    back = State(asked.from_state) if asked else State.DISPATCHED
    return _apply(
        order,
        actor,
        Action.REJECT_RETURN,
        now=now,
        to_state=back,
        expected_version=expected_version,
        reason=reason,
    )


# --- handling ---------------------------------------------------------------------------------


def first_contact(
    order: WorkOrder,
    actor: User,
    *,
    way: str,
    note: str = "",
    contacted_at: dt.datetime | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """先行联系: the unit reached the citizen before handling. The first one sets the time."""
    now = now or clock.now()
    check(order, actor, Action.FIRST_CONTACT)
    _choice(way, ContactWay, "way")
    when = _aware(contacted_at, "contacted_at") or now
    if when > now or (order.dispatched_at and when < order.dispatched_at):
        raise InvalidInput(
            _("The contact time must be between dispatch and now."), field="contacted_at"
        )
    changes = {} if order.first_contact_at else {"first_contact_at": when}
    return _apply(
        order,
        actor,
        Action.FIRST_CONTACT,
        now=now,
        expected_version=expected_version,
        changes=changes,
        reason=note.strip(),
        payload={"way": way, "contacted_at": when.isoformat()},
    )


def request_extension(
    order: WorkOrder,
    actor: User,
    *,
    days: int,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """延期申请: ask, before the reply deadline, for more working days."""
    now = now or clock.now()
    check(order, actor, Action.REQUEST_EXTENSION)
    reason = _text(reason, "reason", _("Say why more time is needed."))
    if not isinstance(days, int) or not 1 <= days <= settings.MAX_EXTENSION_DAYS:
        raise InvalidInput(
            _("Ask for 1 to %(max)d working days.") % {"max": settings.MAX_EXTENSION_DAYS},
            field="days",
        )
    if order.extension_days:
        raise InvalidInput(_("An extension request is already waiting for a decision."))
    if order.reply_due is not None and now > order.reply_due:
        raise InvalidInput(_("Extensions must be asked for before the reply deadline."))
    return _apply(
        order,
        actor,
        Action.REQUEST_EXTENSION,
        now=now,
        expected_version=expected_version,
        changes={"extension_days": days},
        reason=reason,
        payload={"days": days},
    )


def _pending_extension(order: WorkOrder) -> int:
    if not order.extension_days:
        raise InvalidTransition(_("No extension request is waiting for a decision."))
    return order.extension_days


def approve_extension(
    order: WorkOrder,
    actor: User,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """The reply deadline in force moves by the working days asked for."""
    now = now or clock.now()
    check(order, actor, Action.APPROVE_EXTENSION)
    days = _pending_extension(order)
    new_due = deadlines.extend(order.reply_due or now, days)
    return _apply(
        order,
        actor,
        Action.APPROVE_EXTENSION,
        now=now,
        expected_version=expected_version,
        reason=note.strip(),
        changes={
            "extension_days": None,
            "reply_due": new_due,
            "reply_urged_for": None,
            "overdue": order.overdue and new_due <= now,
        },
        payload={
            "days": days,
            "previous_due": order.reply_due.isoformat() if order.reply_due else None,
            "reply_due": new_due.isoformat(),
        },
    )


def reject_extension(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    now = now or clock.now()
    check(order, actor, Action.REJECT_EXTENSION)
    days = _pending_extension(order)
    reason = _text(reason, "reason", _("Say why the extension is refused."))
    return _apply(
        order,
        actor,
        Action.REJECT_EXTENSION,
        now=now,
        expected_version=expected_version,
        reason=reason,
        changes={"extension_days": None},
        payload={"days": days},
    )


def reply(
    order: WorkOrder,
    actor: User,
    *,
    result: str,
    text: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """办结答复: the unit's final answer with its result."""
    now = now or clock.now()
    check(order, actor, Action.REPLY)
    _choice(result, ReplyResult, "result")
    text = _text(text, "text", _("Write the reply to the citizen."))
    return _apply(
        order,
        actor,
        Action.REPLY,
        now=now,
        expected_version=expected_version,
        changes={
            "reply_result": result,
            "reply_text": text,
            "replied_at": now,
            "extension_days": None,
        },
        payload={
            "result": result,
            "text": text,
            "on_time": order.reply_due is None or now <= order.reply_due,
        },
    )


def approve_reply(
    order: WorkOrder,
    actor: User,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """审核通过: the reply stands; the callback clock starts."""
    now = now or clock.now()
    terms = deadlines.terms_for(order.category, order.urgency)
    return _apply(
        order,
        actor,
        Action.APPROVE_REPLY,
        now=now,
        expected_version=expected_version,
        reason=note.strip(),
        # A new review cycle: the previous callback's answers (if reopened) no longer stand.
        changes={
            "callback_due": deadlines.due(now, terms.callback, terms.basis),
            "callback_resolved": None,
            "satisfaction": "",
        },
    )


def reject_reply(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """审核退回: back to the unit to reply again."""
    now = now or clock.now()
    check(order, actor, Action.REJECT_REPLY)
    reason = _text(reason, "reason", _("Say what the reply lacks."))
    return _apply(
        order, actor, Action.REJECT_REPLY, now=now, expected_version=expected_version, reason=reason
    )


# --- callback and after -------------------------------------------------------------------------


def callback(
    order: WorkOrder,
    actor: User,
    *,
    resolved: bool,
    satisfaction: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """回访: satisfied closes the order; dissatisfied reopens it or (by default) leaves it for a
    dispatcher or supervisor to reopen or close (``CALLBACK_DISSATISFIED``)."""
    now = now or clock.now()
    check(order, actor, Action.CALLBACK)
    _choice(satisfaction, Satisfaction, "satisfaction")
    if not isinstance(resolved, bool):
        raise InvalidInput(_("Say whether the request was resolved."), field="resolved")
    changes: dict[str, Any] = {"callback_resolved": resolved, "satisfaction": satisfaction}
    target = State.CLOSED
    if satisfaction == Satisfaction.DISSATISFIED:
        if settings.CALLBACK_DISSATISFIED == "reopen":
            target = State.REOPENED
            changes.update(_reopen_fields(order, now))
        else:
            target = State.REVIEWED
    if target == State.CLOSED:
        changes["closed_at"] = now
    return _apply(
        order,
        actor,
        Action.CALLBACK,
        now=now,
        to_state=target,
        expected_version=expected_version,
        changes=changes,
        reason=note.strip(),
        payload={"resolved": resolved, "satisfaction": satisfaction},
    )


def _reopen_fields(order: WorkOrder, now: dt.datetime) -> dict[str, Any]:
    terms = deadlines.terms_for(order.category, order.urgency)
    return {
        "reopen_count": order.reopen_count + 1,
        "reply_due": deadlines.due(now, terms.reply, terms.basis),
        "first_contact_due": deadlines.due(now, terms.first_contact, terms.basis),
        "overdue": False,
        "reply_urged_for": None,
        "callback_due": None,
        "closed_at": None,
    }


def reopen(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """重办: back to the same unit with a fresh reply deadline."""
    now = now or clock.now()
    check(order, actor, Action.REOPEN)
    reason = _text(reason, "reason", _("Say why the order is reopened."))
    return _apply(
        order,
        actor,
        Action.REOPEN,
        now=now,
        expected_version=expected_version,
        changes=_reopen_fields(order, now),
        reason=reason,
    )


def close(
    order: WorkOrder,
    actor: User,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """归档."""
    now = now or clock.now()
    return _apply(
        order,
        actor,
        Action.CLOSE,
        now=now,
        expected_version=expected_version,
        changes={"closed_at": now},
        reason=note.strip(),
    )


# --- oversight --------------------------------------------------------------------------------


def urge(
    order: WorkOrder,
    actor: User | None,
    *,
    note: str = "",
    deadline: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """催办: a reminder to the unit (by a person, or by the SLA worker before a deadline)."""
    now = now or clock.now()
    changes: dict[str, Any] = {}
    if deadline == "accept":
        changes["accept_urged_for"] = order.accept_due
    elif deadline == "reply":
        changes["reply_urged_for"] = order.reply_due
    return _apply(
        order,
        actor,
        Action.URGE,
        now=now,
        expected_version=expected_version,
        changes=changes,
        reason=note.strip(),
        payload={"deadline": deadline} if deadline else {},
    )


def supervise(
    order: WorkOrder,
    actor: User | None,
    *,
    due: dt.datetime | None = None,
    working_days: int | None = None,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """督办: formal supervision with its own deadline (a date, or working days from now)."""
    now = now or clock.now()
    check(order, actor, Action.SUPERVISE)
    due = _aware(due, "due")
    if due is None:
        days = working_days if working_days is not None else settings.SUPERVISION_DAYS
        if not isinstance(days, int) or not 1 <= days <= MAX_SUPERVISION_DAYS:
            raise InvalidInput(
                _("Give the supervision a deadline of 1 to %(max)d working days.")
                % {"max": MAX_SUPERVISION_DAYS},
                field="working_days",
            )
        due = deadlines.extend(now, days)
    if due <= now:
        raise InvalidInput(_("The supervision deadline must be in the future."), field="due")
    return _apply(
        order,
        actor,
        Action.SUPERVISE,
        now=now,
        expected_version=expected_version,
        changes={"supervision_due": due},
        reason=note.strip(),
        payload={"due": due.isoformat()},
    )


def mark_overdue(order: WorkOrder, *, now: dt.datetime | None = None) -> Event:
    """The SLA worker's mark on an order past its reply deadline (a system event)."""
    now = now or clock.now()
    if order.overdue or order.reply_due is None or order.reply_due >= now:
        raise InvalidTransition(_("This order is not overdue."))
    if order.state not in (State.DISPATCHED, State.ACCEPTED, State.REOPENED):
        raise InvalidTransition(_("Only orders at a unit become overdue."))
    current = order.version
    with transaction.atomic():
        if not WorkOrder.objects.filter(pk=order.pk, version=current, overdue=False).update(
            overdue=True, version=current + 1, updated_at=now
        ):
            raise Conflict(_("This order was changed by someone else."))
        event = Event.objects.create(
            order=order,
            seq=current + 1,
            action=Action.OVERDUE,
            at=now,
            from_state=order.state,
            to_state=order.state,
            unit_id=order.lead_unit_id,
            payload={"reply_due": order.reply_due.isoformat()},
        )
        order.overdue, order.version, order.updated_at = True, current + 1, now
        transaction.on_commit(lambda: notify.event_committed(event))
    return event


def merge(
    order: WorkOrder,
    actor: User,
    *,
    parent: WorkOrder,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """重复件: the order joins a parent order and follows its outcome."""
    now = now or clock.now()
    check(order, actor, Action.MERGE)
    if parent.pk == order.pk:
        raise InvalidInput(_("An order cannot be merged into itself."), field="parent")
    if parent.state in (State.MERGED, State.CANCELLED):
        raise InvalidInput(
            _("Merge into the order that %(number)s follows instead.") % {"number": parent.number}
            if parent.state == State.MERGED
            else _("A cancelled order cannot take duplicates."),
            field="parent",
        )
    return _apply(
        order,
        actor,
        Action.MERGE,
        now=now,
        expected_version=expected_version,
        changes={"parent_id": parent.pk, "closed_at": now},
        reason=reason.strip(),
        payload={"parent": parent.number},
    )


def cancel(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """作废: invalid or malicious, with the reason on record."""
    now = now or clock.now()
    check(order, actor, Action.CANCEL)
    reason = _text(reason, "reason", _("Say why the order is cancelled."))
    return _apply(
        order,
        actor,
        Action.CANCEL,
        now=now,
        expected_version=expected_version,
        changes={"cancel_reason": reason, "closed_at": now},
        reason=reason,
    )


def comment(
    order: WorkOrder,
    actor: User,
    *,
    text: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """A note on the timeline; changes nothing else."""
    now = now or clock.now()
    check(order, actor, Action.COMMENT)
    text = _text(text, "text", _("Write a comment."))
    return _apply(
        order, actor, Action.COMMENT, now=now, expected_version=expected_version, reason=text
    )


#: What may be attached: photos, scans, documents and call recordings.
ATTACHMENT_EXTENSIONS = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".heic",
        ".pdf",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".txt",
        ".mp3",
        ".wav",
        ".amr",
        ".m4a",
    }
)


def attach(
    order: WorkOrder,
    actor: User | None,
    *,
    upload: UploadedFile,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Attachment:
    """Attach a file; the timeline records it. Anyone who may comment on the order may attach
    (``actor=None``: a citizen's photo from the portal or Open311)."""
    now = now or clock.now()
    check(order, actor, Action.COMMENT)
    name = get_valid_filename(Path(upload.name or "file").name)[:200] or "file"
    if Path(name).suffix.lower() not in ATTACHMENT_EXTENSIONS:
        raise InvalidInput(_("This type of file cannot be attached."), field="file")
    limit = settings.MAX_ATTACHMENT_MB * 1024 * 1024
    if not upload.size or upload.size > limit:
        raise InvalidInput(
            _("Files must be between 1 byte and %(mb)d MB.") % {"mb": settings.MAX_ATTACHMENT_MB},
            field="file",
        )
    with transaction.atomic():
        event = _apply(
            order,
            actor,
            Action.COMMENT,
            now=now,
            expected_version=expected_version,
            reason=note.strip(),
            payload={"attachment": name, "size": upload.size},
        )
        return Attachment.objects.create(
            order=order,
            file=File(upload, name=name),
            name=name,
            content_type=(getattr(upload, "content_type", "") or "")[:100],
            size=upload.size,
            uploaded_by=actor,
            uploaded_at=now,
            event=event,
        )
