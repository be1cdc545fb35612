"""申诉: the hall contests a mistaken rating; the hotline centre reviews it."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from hotline import clock
from hotline.org.models import User
from hotline.ratings.actions._core import step
from hotline.ratings.models import AppealState, Rating, RatingAction, RatingEvent
from hotline.ratings.rules import InvalidInput


def _why(text: str, message: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise InvalidInput(message, field="reason")
    return reason[:1000]


def appeal(
    rating: Rating, actor: User, *, reason: str, now: dt.datetime | None = None
) -> RatingEvent:
    """The hall's manager appeals a rating they hold to be mistaken (wrong window, a test, a
    rating about another office), with the reason; it waits for the centre's review."""
    reason = _why(reason, _("Say why the rating is mistaken."))
    return step(
        rating,
        actor,
        RatingAction.APPEAL,
        now=now or clock.now(),
        changes={"appeal": AppealState.PENDING, "appeal_reason": reason},
        reason=reason,
    )


def approve_appeal(
    rating: Rating, actor: User, *, reason: str = "", now: dt.datetime | None = None
) -> RatingEvent:
    """The centre agrees: the rating is excluded from every figure (it stays on record)."""
    return step(
        rating,
        actor,
        RatingAction.APPROVE_APPEAL,
        now=now or clock.now(),
        changes={"appeal": AppealState.APPROVED},
        reason=(reason or "").strip(),
    )


def reject_appeal(
    rating: Rating, actor: User, *, reason: str, now: dt.datetime | None = None
) -> RatingEvent:
    """The centre disagrees, with the reason: the rating counts."""
    reason = _why(reason, _("Say why the appeal is rejected."))
    return step(
        rating,
        actor,
        RatingAction.REJECT_APPEAL,
        now=now or clock.now(),
        changes={"appeal": AppealState.REJECTED},
        reason=reason,
    )
