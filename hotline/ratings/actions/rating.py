"""Rating a visit and the follow-up rating (追评)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall import identity
from hotline.hall.models import Ticket, Window
from hotline.orders.models import State
from hotline.org.models import User
from hotline.ratings import visits
from hotline.ratings.actions._core import step
from hotline.ratings.actions.rectify import open_rectification
from hotline.ratings.models import (
    BAD_LEVELS,
    Channel,
    Level,
    Pad,
    Rating,
    RatingAction,
    RatingEvent,
    RatingState,
    Reason,
)
from hotline.ratings.rules import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    refuse_staff,
)


def _level(value: object, field: str = "level") -> Level:
    try:
        return Level(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose one of the five ratings."), field=field) from None


def _reasons(level: Level, reasons: list[str], comment: str) -> list[str]:
    codes = list(dict.fromkeys(r for r in reasons if r))
    unknown = [r for r in codes if r not in Reason.values]
    if unknown:
        raise InvalidInput(_("Choose the reasons from the list."), field="reasons")
    if level in BAD_LEVELS:
        if not codes:
            raise InvalidInput(
                _("Tell us what went wrong: choose at least one reason."), field="reasons"
            )
        if Reason.OTHER in codes and not comment:
            raise InvalidInput(_("Describe the other reason."), field="comment")
    return codes


def _pad_window(pad: Pad | None, demo_pad_window: Window | None) -> Window:
    """The window of the enrolled pad a pad rating comes from; refused without one (a pad
    revoked since the request began counts as none)."""
    if pad is not None:
        if Pad.objects.filter(pk=pad.pk).exclude(enrolment_token="").exists():
            return pad.window
    elif demo_pad_window is not None:
        return demo_pad_window
    raise NotAllowed(_("Only an enrolled rating pad rates at the window."))


def follow_up_not_by_slip() -> str:
    """Why the slip's code of a visit its server printed gives no 追评, and where to give it."""
    return _(
        "This visit's slip was printed by the member of staff who served it, so its code cannot "
        "give the follow-up rating. Use the link texted to the mobile number left with the "
        "rating, or call 12345."
    )


def rate(
    ticket: Ticket,
    actor: User | None,
    *,
    level: object,
    channel: str,
    reasons: list[str] | None = None,
    comment: str = "",
    phone: str = "",
    pad: Pad | None = None,
    demo_pad_window: Window | None = None,
    to_holder: bool = False,
    now: dt.datetime | None = None,
) -> Rating:
    """好差评: the citizen rates a finished visit, once. ``actor`` is whoever is logged in on the
    device (``None`` for the citizen): any member of staff is refused.

    From the window's pad only the ticket that window finished last, within
    ``RATING_PAD_MINUTES``; through the QR code or an SMS link within ``RATING_LINK_DAYS``. The
    pad channel needs the enrolled :class:`Pad` (``pad``: the device the request came from, still
    enrolled), so no caller rates as a pad without one; ``demo_pad_window`` is the demo's seeding
    path only (its history of pad ratings has no device). A
    差评 (the two lowest levels) needs a reason and opens the linked rectification order in the
    same transaction; ``phone`` (optional) is where the centre reaches the citizen about it.

    Through the QR code or the SMS link, refused when the slip was printed (given at the reception
    desk or printed again) by a clerk who served the visit: they hold its rating key. A slip
    printed again by staff after the visit was called is marked on the event
    (``slip_after_call``). The SMS link texted to the number the ticket was given under
    (``to_holder``, :func:`hotline.ratings.actions.sms.holder_number`) still rates it: that key
    was never printed nor shown to the clerk, so the one clerk of a small hall, who gives the
    tickets at reception and serves them, does not cost the hall its QR/SMS ratings.
    """
    refuse_staff(actor)
    now = now or clock.now()
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown rating channel."), field="channel")
    lvl = _level(level)
    text = (comment or "").strip()[:1000]
    codes = _reasons(lvl, reasons or [], text)
    number = identity.mobile(phone) if (phone or "").strip() else ""
    service = visits.service_of(ticket)
    if service is None:
        raise InvalidTransition(_("This visit has not been served yet."))
    if channel == Channel.PAD:
        pad_window = _pad_window(pad, demo_pad_window)
        if service.window is None or service.window.pk != pad_window.pk:
            raise InvalidTransition(_("This visit was not served at this window."))
        if now - service.at > dt.timedelta(minutes=settings.RATING_PAD_MINUTES):
            raise InvalidTransition(_("The time to rate this visit at the window has passed."))
    elif now - service.at > dt.timedelta(days=settings.RATING_LINK_DAYS):
        raise InvalidTransition(_("The time to rate this visit has passed."))
    slips = visits.slips_of(ticket)
    by_holder_link = channel == Channel.SMS and to_holder
    if channel != Channel.PAD and slips.by_server and not by_holder_link:
        # The slip's QR code is the rating key: the clerk who printed it holds it, and logged
        # out could rate their own service (or open a 差评's rectification in the citizen's name).
        raise NotAllowed(
            _(
                "This visit's slip was printed by the member of staff who served it, so it "
                "cannot be rated through its code. Rate it on the window's rating pad, or call "
                "12345."
            )
        )
    payload: dict[str, object] = {"level": int(lvl), "channel": channel, "reasons": codes}
    if slips.after_call:
        # Printed again by staff once the visit was at a window (the citizen had a slip): kept
        # on the event for appeals and audits.
        payload["slip_after_call"] = slips.after_call
    if by_holder_link:
        payload["to_holder"] = True
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    ticket=ticket,
                    hall_id=ticket.hall_id,
                    window=service.window,
                    clerk=service.clerk,
                    matter_id=ticket.matter_id,
                    served_at=service.at,
                    level=lvl,
                    reasons=codes,
                    comment=text,
                    channel=channel,
                    rated_at=now,
                    case_numbers=visits.case_numbers(ticket),
                    state=RatingState.RATED,
                    version=1,
                )
        except IntegrityError:
            raise Conflict(_("This visit has already been rated. Thank you.")) from None
        RatingEvent.objects.create(
            rating=rating,
            seq=1,
            action=RatingAction.RATE,
            at=now,
            from_state="",
            to_state=RatingState.RATED,
            payload=payload,
        )
        if lvl in BAD_LEVELS:
            open_rectification(rating, phone=number, now=now)
    return rating


def follow_up(
    rating: Rating,
    actor: User | None,
    *,
    level: object,
    comment: str = "",
    channel: str = Channel.SMS,
    now: dt.datetime | None = None,
) -> RatingEvent:
    """追评: after the rectification order is closed the citizen rates once more; the loop ends.

    Refused before the order closes and after ``RATING_LINK_DAYS`` from its closing. Through
    the slip's QR code (``channel``) refused, as the rating is, when the slip was printed by a
    clerk who served the visit: they hold that key, and signed out could rate the rectification
    of the complaint against them (attack, session 26, h5 F1). The link texted to the number
    left with the rating (:mod:`hotline.ratings.follow_up_links`) is a key they never held."""
    now = now or clock.now()
    refuse_staff(actor)
    if channel == Channel.QR and visits.slips_of(rating.ticket).by_server:
        raise NotAllowed(follow_up_not_by_slip())
    lvl = _level(level)
    order = rating.order
    if order is None or order.state != State.CLOSED or order.closed_at is None:
        raise InvalidTransition(_("The follow-up rating opens once the rectification is closed."))
    if now - order.closed_at > dt.timedelta(days=settings.RATING_LINK_DAYS):
        raise InvalidTransition(_("The time for a follow-up rating has passed."))
    text = (comment or "").strip()[:1000]
    return step(
        rating,
        actor,
        RatingAction.FOLLOW_UP,
        now=now,
        changes={"follow_up_level": int(lvl), "follow_up_comment": text, "follow_up_at": now},
        reason=text,
        payload={"level": int(lvl), "order": order.number},
    )
