"""The step shared by every pre-review action: check the rule, conditional update, append the
event; and the messages to the citizen, sent once the step has committed."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from hotline.orders import notify
from hotline.org.models import User
from hotline.prereview.models import PreReview, PreReviewEvent
from hotline.prereview.rules import Actor, Conflict, check

log = logging.getLogger("hotline.prereview")


def stale() -> str:
    return _("This pre-review was changed by someone else. Reload and try again.")


def step(
    review: PreReview,
    action: str,
    actor: Actor,
    user: User | None,
    *,
    now: dt.datetime,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> PreReviewEvent:
    """Check the transition table on the pre-review as stored, move it and append its event in
    one transaction.

    The UPDATE matches the version and state it was checked on and its row count is checked:
    of two clerks deciding at once (or a clerk and the citizen withdrawing), one wins and the
    other gets :class:`Conflict`; nothing is applied twice.
    """
    review.refresh_from_db(fields=["state", "version"])
    rule = check(action, review, actor, user)
    target = rule.target or review.state
    current = review.version
    fields: dict[str, Any] = dict(changes or {})
    fields.update(state=target, version=current + 1)
    with transaction.atomic():
        updated = PreReview.objects.filter(
            pk=review.pk, version=current, state=review.state
        ).update(**fields)
        if updated != 1:
            raise Conflict(stale())
        try:
            with transaction.atomic():
                event = PreReviewEvent.objects.create(
                    prereview=review,
                    seq=current + 1,
                    action=action,
                    at=now,
                    actor=user,
                    from_state=review.state,
                    to_state=target,
                    reason=reason,
                    payload=payload or {},
                )
        except IntegrityError:
            raise Conflict(stale()) from None
    for name, value in fields.items():
        setattr(review, name, value)
    return event


def status_link(review: PreReview, site: str = "") -> str:
    """The citizen's link to the pre-review's status page; absolute when ``site`` is given."""
    path = reverse("prereview_portal:status", args=[review.token])
    return site.rstrip("/") + path if site else path


def text_citizen(review: PreReview, phone: str, text: str, action: str) -> None:
    """Send ``text`` to the citizen through the notify adapters once the step commits (a
    rolled-back step never notifies); an adapter's failure is logged, never lost silently."""
    if not phone:
        return
    message = notify.Message(
        order_number=review.number,
        action=f"prereview_{action}",
        unit_name=review.hall.unit.name,
        recipients_phone=(phone,),
        recipients_email=(),
        text=text,
        # Every such text links to the status page by the review's token: whoever reads the
        # logs must not open the citizen's pre-review (attack, session 24).
        secret=review.token,
    )

    notify.send_after_commit(message, review)
