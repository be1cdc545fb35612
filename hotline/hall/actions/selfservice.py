"""Recording a use of a self-service kiosk: the one write path of :class:`SelfServiceUse`; and
enrolling a browser as a registered kiosk, or revoking that (:class:`KioskEvent`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall import devices
from hotline.hall.hours import hall_open, kiosk_open
from hotline.hall.models import (
    Hall,
    Kiosk,
    KioskAction,
    KioskEvent,
    SelfServiceKind,
    SelfServiceUse,
)
from hotline.hall.rules import InvalidInput, InvalidTransition, NotAllowed
from hotline.matters.models import Matter
from hotline.org.models import Role, User

#: The same material list looked up again at the same kiosk within this long is the same lookup
#: (a double tap, a reload, Back and the same button): long enough for those, shorter than the
#: next citizen needs to walk up, find the matter and tap it. A completion is told apart by its
#: form's one-time token instead (the kiosk page): each one is a citizen's, however close.
REPEAT_WINDOW = dt.timedelta(seconds=30)


def record_use(
    kiosk: Kiosk,
    matter: Matter,
    kind: str = SelfServiceKind.DONE,
    *,
    now: dt.datetime | None = None,
) -> SelfServiceUse:
    """A citizen completed ``matter`` at ``kiosk`` (or looked up its material list).

    A completion counts only for a matter the kiosk is registered to complete, and only while the
    kiosk is open; a material list may be looked up for any active matter of the catalogue. The
    same lookup again within :data:`REPEAT_WINDOW` is not recorded again: the earlier one is
    returned."""
    now = now or clock.now()
    if kind not in SelfServiceKind.values:
        raise InvalidInput(_("Unknown kind of self-service use."))
    if not kiosk_open(kiosk, now):
        raise InvalidTransition(_("This kiosk is closed now."))
    if not matter.active:
        raise InvalidInput(_("%(matter)s is no longer offered.") % {"matter": matter.name})
    if kind == SelfServiceKind.DONE and not kiosk.matters.filter(pk=matter.pk).exists():
        raise InvalidInput(
            _("%(matter)s cannot be completed at this kiosk: take a ticket or book an appointment.")
            % {"matter": matter.name},
            field="matter",
        )
    with transaction.atomic():
        if kind == SelfServiceKind.MATERIALS:
            # One lookup at a kiosk at a time (PostgreSQL: the kiosk's row; SQLite takes its
            # write lock at the start of the transaction): two taps racing count once too.
            Kiosk.objects.select_for_update().filter(pk=kiosk.pk).first()
            earlier = (
                SelfServiceUse.objects.filter(
                    kiosk=kiosk, matter=matter, kind=kind, at__gt=now - REPEAT_WINDOW, at__lte=now
                )
                .order_by("-at", "-pk")
                .first()
            )
            if earlier is not None:
                return earlier
        return SelfServiceUse.objects.create(
            kiosk=kiosk,
            hall_id=kiosk.hall_id,
            matter=matter,
            kind=kind,
            at=now,
            hall_open=hall_open(kiosk.hall, now),
        )


def may_enrol_at(user: object, hall: Hall) -> bool:
    """Who enrols the hall's machines (kiosks, rating pads): an administrator, or the hall's
    manager."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.has_role(Role.ADMIN):  # not is_superuser: the flag outlives the role
        return True
    return user.has_role(Role.HALL_MANAGER) and user.unit_id == hall.unit_id


def may_enrol(user: object, kiosk: Kiosk) -> bool:
    """An administrator, or the manager of the kiosk's hall."""
    return may_enrol_at(user, kiosk.hall)


def enrol(
    kiosk: Kiosk, *, actor: User, now: dt.datetime | None = None, was: Kiosk | None = None
) -> str:
    """The browser ``actor`` stands at becomes ``kiosk``: a new token (the caller puts it in the
    browser's cookie, hotline.hall.devices), which replaces the old one, so a browser enrolled
    before no longer counts as the kiosk; an event records who and when.

    ``was``: the kiosk this browser was enrolled as until now. A browser holds one kiosk's
    cookie, so that kiosk is revoked in the same step (else the manager's list would still show
    it enrolled, by a cookie no browser holds)."""
    if not may_enrol(actor, kiosk):
        raise NotAllowed(_("Only the hall's manager or an administrator enrols a kiosk."))
    if not kiosk.active:
        raise InvalidTransition(_("This kiosk is not active."))
    now = now or clock.now()
    with transaction.atomic():
        if was is not None and was.pk != kiosk.pk and may_enrol(actor, was):
            revoke(was, actor=actor, now=now)
        token = devices.KIOSK.issue(kiosk, now)
        KioskEvent.objects.create(kiosk=kiosk, action=KioskAction.ENROL, at=now, actor=actor)
    return token


def revoke(kiosk: Kiosk, *, actor: User, now: dt.datetime | None = None) -> bool:
    """No browser counts as ``kiosk`` any more (a machine replaced, a cookie copied): the token
    is cleared, with an event. Whether there was an enrolment to revoke."""
    if not may_enrol(actor, kiosk):
        raise NotAllowed(_("Only the hall's manager or an administrator enrols a kiosk."))
    now = now or clock.now()
    with transaction.atomic():
        revoked = devices.KIOSK.withdraw(kiosk)
        if revoked:
            KioskEvent.objects.create(kiosk=kiosk, action=KioskAction.REVOKE, at=now, actor=actor)
    return revoked
