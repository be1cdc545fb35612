"""The clerk's decisions: pass, ask once for everything missing (一次性告知), reject. Each
texts the citizen the outcome with the link to the pre-review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.org.models import User
from hotline.prereview.actions._core import status_link, step, text_citizen
from hotline.prereview.models import PreReview, PreReviewAction
from hotline.prereview.rules import Actor, InvalidInput

NOTE_MAX = 500


def _note(note: str, *, required: bool, message: str = "") -> str:
    note = note.strip()
    if required and not note:
        raise InvalidInput(message, field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("At most %(n)d characters, please.") % {"n": NOTE_MAX}, field="note")
    return note


def pass_review(
    review: PreReview,
    clerk: User,
    *,
    note: str = "",
    site: str = "",
    now: dt.datetime | None = None,
) -> PreReview:
    """The materials are in order: the citizen may come (or book) and will not be asked again."""
    now = now or clock.now()
    note = _note(note, required=False)
    phone = review.notify_phone
    with transaction.atomic():
        step(
            review,
            PreReviewAction.PASS,
            Actor.CLERK,
            clerk,
            now=now,
            reason=note,
            # The last message to send: the number is forgotten with it.
            changes={
                "decided_at": now,
                "decided_by": clerk,
                "note": note,
                "notify_phone": "",
            },
        )
        text_citizen(
            review,
            phone,
            _(
                "%(hall)s: your pre-review %(number)s of %(matter)s has passed. Bring the "
                "originals when you come: %(link)s"
            )
            % _words(review, site),
            PreReviewAction.PASS,
        )
    return review


def ask_more(
    review: PreReview,
    clerk: User,
    *,
    missing: Sequence[int],
    note: str,
    site: str = "",
    now: dt.datetime | None = None,
) -> PreReview:
    """Ask once for everything missing or unusable (a list of the matter's materials, and a
    note saying what is wrong); the citizen sends those again and the clerk then decides."""
    now = now or clock.now()
    note = _note(
        note, required=True, message=_("Say what is missing or wrong, so they can fix it at once.")
    )
    listed = set(review.matter.materials.values_list("pk", flat=True))
    chosen = sorted({int(pk) for pk in missing})
    if not chosen:
        raise InvalidInput(_("Tick every material they must send again."), field="missing")
    if not set(chosen) <= listed:
        raise InvalidInput(_("That material is not on this matter's list."), field="missing")
    with transaction.atomic():
        step(
            review,
            PreReviewAction.ASK_MORE,
            Actor.CLERK,
            clerk,
            now=now,
            reason=note,
            payload={"missing": chosen},
            changes={"decided_at": now, "decided_by": clerk, "note": note, "missing": chosen},
        )
        text_citizen(
            review,
            review.notify_phone,
            _(
                "%(hall)s: your pre-review %(number)s of %(matter)s needs more materials. "
                "See what and send them here: %(link)s"
            )
            % _words(review, site),
            PreReviewAction.ASK_MORE,
        )
    return review


def reject(
    review: PreReview,
    clerk: User,
    *,
    reason: str,
    site: str = "",
    now: dt.datetime | None = None,
) -> PreReview:
    """The application cannot go ahead as filed (wrong matter, not eligible, the asked-for
    items still wrong): the reason is shown to the citizen."""
    now = now or clock.now()
    reason = _note(reason, required=True, message=_("Give the reason, for the citizen."))
    phone = review.notify_phone
    with transaction.atomic():
        step(
            review,
            PreReviewAction.REJECT,
            Actor.CLERK,
            clerk,
            now=now,
            reason=reason,
            changes={
                "decided_at": now,
                "decided_by": clerk,
                "note": reason,
                "notify_phone": "",
            },
        )
        text_citizen(
            review,
            phone,
            _("%(hall)s: your pre-review %(number)s of %(matter)s was not passed. Why: %(link)s")
            % _words(review, site),
            PreReviewAction.REJECT,
        )
    return review


def _words(review: PreReview, site: str) -> dict[str, str]:
    return {
        "hall": review.hall.unit.name,
        "number": review.number,
        "matter": review.matter.name,
        "link": status_link(review, site),
    }
