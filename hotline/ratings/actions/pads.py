"""Enrolling a browser as a window's rating pad, or revoking that: the one write path of
:class:`~hotline.ratings.models.Pad`'s enrolment, each step a :class:`PadEvent`. The token and
the cookie are the hall's device machinery (:data:`hotline.ratings.pad.PAD`), as for kiosks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall.actions.selfservice import may_enrol_at
from hotline.hall.models import Window
from hotline.org.models import User
from hotline.ratings.models import Pad, PadAction, PadEvent
from hotline.ratings.pad import PAD
from hotline.ratings.rules import NotAllowed


def _allowed(actor: User, window: Window) -> None:
    if not may_enrol_at(actor, window.hall):
        raise NotAllowed(_("Only the hall's manager or an administrator enrols a rating pad."))


def enrol_pad(
    window: Window, *, actor: User, now: dt.datetime | None = None, was: Pad | None = None
) -> tuple[Pad, str]:
    """The browser ``actor`` stands at becomes ``window``'s rating pad: a new token (the caller
    puts it in the browser's cookie) replaces the old one, so a tablet enrolled before no longer
    is the pad; an event records who and when.

    ``was``: the pad this browser was until now (a browser holds one pad's cookie), revoked in
    the same step, so the manager's page does not show it enrolled by a cookie nobody holds."""
    _allowed(actor, window)
    now = now or clock.now()
    with transaction.atomic():
        if was is not None and was.window_id != window.pk and may_enrol_at(actor, was.window.hall):
            revoke_pad(was.window, actor=actor, now=now)
        pad, _created = Pad.objects.get_or_create(window=window)
        token = PAD.issue(pad, now)
        PadEvent.objects.create(pad=pad, action=PadAction.ENROL, at=now, actor=actor)
    return pad, token


def revoke_pad(window: Window, *, actor: User, now: dt.datetime | None = None) -> bool:
    """No browser is ``window``'s rating pad any more (a tablet replaced or lost, its cookie
    copied): at once, with an event. Whether one was."""
    _allowed(actor, window)
    now = now or clock.now()
    pad = Pad.objects.filter(window=window).first()
    if pad is None:
        return False
    with transaction.atomic():
        revoked = PAD.withdraw(pad)
        if revoked:
            PadEvent.objects.create(pad=pad, action=PadAction.REVOKE, at=now, actor=actor)
    return revoked
