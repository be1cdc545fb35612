"""The write path shared by every rating step: authorise, conditional update, append the event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hotline.org.models import User
from hotline.ratings.models import Rating, RatingEvent, RatingState
from hotline.ratings.rules import Conflict, check


def step(
    rating: Rating,
    actor: User | None,
    action: str,
    *,
    now: dt.datetime,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> RatingEvent:
    """Move ``rating`` and append its event atomically; a stale version is a :class:`Conflict`."""
    rule = check(rating, actor, action)
    target = rule.target or rating.state
    current = rating.version
    fields: dict[str, Any] = {**(changes or {}), "state": target, "version": current + 1}
    with transaction.atomic():
        if Rating.objects.filter(pk=rating.pk, version=current).update(**fields) != 1:
            raise Conflict(_("This rating was changed meanwhile. Reload it and try again."))
        try:
            with transaction.atomic():
                event = RatingEvent.objects.create(
                    rating=rating,
                    seq=current + 1,
                    action=action,
                    at=now,
                    actor=actor if actor is not None and actor.is_authenticated else None,
                    from_state=rating.state,
                    to_state=RatingState(target),
                    reason=reason,
                    payload=payload or {},
                )
        except IntegrityError:
            raise Conflict(
                _("This rating was changed meanwhile. Reload it and try again.")
            ) from None
        for name, value in fields.items():
            setattr(rating, name, value)
    return event
