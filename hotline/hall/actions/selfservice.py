"""Recording a use of a self-service kiosk: the one write path of :class:`SelfServiceUse`."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall.hours import hall_open, kiosk_open
from hotline.hall.models import Kiosk, SelfServiceKind, SelfServiceUse
from hotline.hall.rules import InvalidInput, InvalidTransition
from hotline.matters.models import Matter


def record_use(
    kiosk: Kiosk,
    matter: Matter,
    kind: str = SelfServiceKind.DONE,
    *,
    now: dt.datetime | None = None,
) -> SelfServiceUse:
    """A citizen completed ``matter`` at ``kiosk`` (or looked up its material list).

    A completion counts only for a matter the kiosk is registered to complete, and only while the
    kiosk is open; a material list may be looked up for any active matter of the catalogue."""
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
    return SelfServiceUse.objects.create(
        kiosk=kiosk,
        hall_id=kiosk.hall_id,
        matter=matter,
        kind=kind,
        at=now,
        hall_open=hall_open(kiosk.hall, now),
    )
