"""Intake: register, answer directly, merge duplicates, cancel, comments and attachments."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from hotline import clock
from hotline.orders import notify
from hotline.orders.actions._core import (
    _PHONE,
    _apply,
    _choice,
    _description,
    _next_number,
    _number_ahead,
    _reason,
    _reply,
    _text,
)
from hotline.orders.models import (
    Action,
    Attachment,
    Channel,
    Event,
    Kind,
    ReplyResult,
    State,
    WorkOrder,
)
from hotline.orders.rules import (
    InvalidInput,
    NotAllowed,
    check,
)
from hotline.org.models import Category, Role, Unit, UnitKind, User
from hotline.portal import limits
from hotline.security.phone_numbers import (
    mistyped_mobile,
    mistyped_mobile_message,
    normalise_phone,
)
from hotline.sla.models import Urgency

if TYPE_CHECKING:
    from hotline.dispatch.models import Prediction

log = logging.getLogger(__name__)

#: Who may register an order (a partner system posting through Open311 gets one of these roles).
REGISTER_ROLES = (Role.OPERATOR, Role.DISPATCHER)


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
    within: Callable[[WorkOrder], object] | None = None,
    through_open311: bool = False,
) -> WorkOrder:
    """受理: create an order in state ``registered``. ``actor=None`` is a self-service channel.

    Channel ``open311`` is reserved for requests posted through Open311 (``through_open311``):
    Open311 publishes those orders, so a member of staff cannot publish one by picking it.

    ``within`` is called with the new order inside the registration's transaction (the API
    records there that its caller is shown the citizen's phone number). Call this outside a
    transaction where you can: the order's number is then drawn without holding the day's
    counter for the whole registration (:func:`~hotline.orders.actions._core._number_ahead`).
    """
    if actor is not None and not actor.has_role(*REGISTER_ROLES):
        raise NotAllowed(_("Only operators and dispatchers register orders."))
    now = now or clock.now()
    title = _text(title, "title", _("Give the order a title."))[:200]
    description = _description(description)
    _choice(channel, Channel, "channel")
    if (channel == Channel.OPEN311) != through_open311:
        raise InvalidInput(
            _("Only requests posted through Open311 have the Open311 channel."), field="channel"
        )
    _choice(urgency, Urgency, "urgency")
    _choice(kind, Kind, "kind")
    # Stored in one canonical form, so the caller history, search, tracking and limits match
    # +86 139-1234-5678 and 13912345678 as the same caller.
    phone = normalise_phone(citizen_phone)
    if phone and not _PHONE.match(phone):
        raise InvalidInput(_("Enter a valid phone number."), field="citizen_phone")
    if phone and mistyped_mobile(phone):
        raise InvalidInput(mistyped_mobile_message(phone), field="citizen_phone")
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
    day = timezone.localtime(now).date()
    number = _number_ahead(day)
    # Order and event commit together. No savepoint when a caller's transaction is open: nothing
    # in here is caught and retried, and a savepoint costs two round trips on the hot path.
    with transaction.atomic(savepoint=False):
        order = WorkOrder.objects.create(
            number=number or _next_number(day),
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
        if within is not None:
            within(order)
    return order


def answer(
    order: WorkOrder,
    actor: User,
    *,
    text: str,
    source: dict[str, int] | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """直接答复: the centre answers at intake (e.g. a consultation) and the order is done.

    ``source`` names the knowledge-base article the answer was taken from (``kb_article``,
    ``kb_revision``, checked by :func:`hotline.kb.assist.answer_source`); the event records it.
    """
    now = now or clock.now()
    text = _reply(text, "text", _("Write the answer given to the citizen."))
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
        payload={"text": text, **(source or {})},
    )


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
        reason=_reason(reason, "reason"),
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
    reason = _reason(reason, "reason", _("Say why the order is cancelled."))
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
    actor: User | None,
    *,
    text: str,
    payload: dict[str, Any] | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """A note on the timeline; changes nothing else. ``actor=None``: the system's note (the
    follow-up rating link texted to the citizen, :mod:`hotline.ratings.follow_up_links`), with
    its ``payload``."""
    now = now or clock.now()
    check(order, actor, Action.COMMENT)
    text = _reason(text, "text", _("Write a comment."))
    with transaction.atomic():
        return _apply(
            order,
            actor,
            Action.COMMENT,
            now=now,
            expected_version=expected_version,
            reason=text,
            payload={**(payload or {}), **_co_unit_notice(order, actor)},
        )


#: Notices (a text to the unit's contact phone, an e-mail to its members) that one co-unit's
#: notes on one order send the units holding it, in an hour (h4's finding, session 28: each
#: note texted and e-mailed them, with no limit, so a co-unit's handler could flood the street's
#: phone). A note past it is kept on the timeline all the same, its notice held back
#: (:data:`hotline.orders.notify.NOTICE_HELD`): the notice says "open the order to read it", and
#: the order holds every note. Counted in the portal's limits table, as a clerk's texted codes.
CO_UNIT_NOTES_TOLD = limits.Limit("co-unit-note", "co-unit", 3, dt.timedelta(hours=1))


def _co_unit_notice(order: WorkOrder, actor: User | None) -> dict[str, Any]:
    """The payload of a note (or a file) ``actor`` adds to ``order``: for a co-unit's note
    beyond :data:`CO_UNIT_NOTES_TOLD` in the hour, the mark that its notice is held back. Called
    in the note's transaction: a note refused (a stale page) counts nothing."""
    co_unit = notify.noting_co_unit(order, actor.unit if actor is not None else None)
    if co_unit is None:
        return {}
    if limits.record_try(CO_UNIT_NOTES_TOLD, f"{order.pk}:{co_unit.pk}") is None:
        return {notify.NOTICE_HELD: True}
    return {}


def co_unit_notice_held(event: Event) -> bool:
    """Whether ``event`` (a co-unit's note) was kept without a notice to the units holding the
    order (:data:`CO_UNIT_NOTES_TOLD`)."""
    return bool((event.payload or {}).get(notify.NOTICE_HELD))


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
    name = upload_name(upload)
    with transaction.atomic():
        event = _apply(
            order,
            actor,
            Action.COMMENT,
            now=now,
            expected_version=expected_version,
            reason=_reason(note, "note"),
            payload={"attachment": name, "size": upload.size, **_co_unit_notice(order, actor)},
        )
        return store_attachment(order, actor, upload, name=name, event=event, now=now)


def upload_name(upload: UploadedFile) -> str:
    """The safe file name of an upload, refusing types and sizes orders may not carry."""
    name = get_valid_filename(Path(upload.name or "file").name)[:200] or "file"
    if Path(name).suffix.lower() not in ATTACHMENT_EXTENSIONS:
        raise InvalidInput(_("This type of file cannot be attached."), field="file")
    limit = settings.MAX_ATTACHMENT_MB * 1024 * 1024
    if not upload.size or upload.size > limit:
        raise InvalidInput(
            _("Files must be between 1 byte and %(mb)d MB.") % {"mb": settings.MAX_ATTACHMENT_MB},
            field="file",
        )
    return name


def store_attachment(
    order: WorkOrder,
    actor: User | None,
    upload: UploadedFile,
    *,
    name: str,
    event: Event,
    now: dt.datetime,
) -> Attachment:
    """Save a checked upload as the attachment of ``event`` (inside the event's transaction)."""
    return Attachment.objects.create(
        order=order, event=event, **upload_fields(upload, name=name, actor=actor, now=now)
    )


def upload_fields(
    upload: UploadedFile, *, name: str, actor: User | None, now: dt.datetime
) -> dict[str, Any]:
    """The columns every attachment table shares (orders', the knowledge base's): the file under
    the name :func:`upload_name` checked, its type and size, who uploaded it and when."""
    return {
        "file": File(upload, name=name),
        "name": name,
        "content_type": (getattr(upload, "content_type", "") or "")[:100],
        "size": upload.size or 0,  # upload_name() refused empty files already
        "uploaded_by": actor,
        "uploaded_at": now,
    }


def after_registration(order: WorkOrder) -> Prediction | None:
    """What follows a committed registration: the active model's prediction and, when allowed,
    automatic dispatch (:func:`hotline.dispatch.services.predict_and_maybe_dispatch`).

    The order is stored and its number may already be on its way to the caller, so nothing here
    may turn the registration into an error: a client that retries an error registers the call
    twice. A failure (the database dropped between the two, a model file unreadable) is logged
    and the order simply stays registered for a dispatcher. Returns the prediction or ``None``.
    """
    from hotline.dispatch import services  # imports the write path itself: late

    try:
        return services.predict_and_maybe_dispatch(order)
    except Exception:
        log.exception(
            "order %s is registered; its prediction or automatic dispatch failed", order.number
        )
        return None
