"""Recording a use of a self-service kiosk: the one write path of :class:`SelfServiceUse`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall.hours import hall_open, kiosk_open
from hotline.hall.models import Kiosk, SelfServiceKind, SelfServiceUse
from hotline.hall.rules import InvalidInput, InvalidTransition
from hotline.matters.models import Matter

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
