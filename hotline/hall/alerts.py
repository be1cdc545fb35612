"""The manager's alerts, at three levels, through the notify adapters (hotline.orders.notify).

:func:`evaluate` looks at the hall now: the longest current wait against the service level,
waiting tickets per open window, today's no-show and abandon rate, and tickets transferred to a
window that is not open (paused, or closed as they were sent there: nobody calls them there; a
warning once the window is closed). A condition raises one alert (and one notification); a worse
level updates it and notifies again; when the condition ends the alert is cleared. A condition
back within ``HALL_ALERT_QUIET_MINUTES`` of clearing (a wait crossing the service level back and
forth as the oldest is called) is the same alert again, without a new SMS unless it is worse than
it was. The live board calls it on every poll and so can the worker.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall.models import (
    Alert,
    AlertKind,
    AlertLevel,
    Hall,
    Ticket,
    TicketState,
    WindowState,
)
from hotline.hall.rules import InvalidTransition, NotAllowed
from hotline.orders import notify
from hotline.org.models import Role, User

log = logging.getLogger("hotline.hall")


def _conditions(hall: Hall, now: dt.datetime) -> dict[str, tuple[int, str]]:
    """kind → (level, message) for every condition present now."""
    day = timezone.localtime(now).date()
    found: dict[str, tuple[int, str]] = {}
    waiting = Ticket.objects.filter(hall=hall, day=day, state=TicketState.WAITING)
    oldest = waiting.order_by("queued_at").values_list("queued_at", flat=True).first()
    level_minutes = hall.service_level_minutes
    if oldest is not None:
        longest = (now - oldest).total_seconds() / 60
        for level, factor in (
            (AlertLevel.CRITICAL, 2),
            (AlertLevel.WARNING, 1.5),
            (AlertLevel.NOTICE, 1),
        ):
            if longest > level_minutes * factor:
                found[AlertKind.WAIT] = (
                    level,
                    _("Longest wait %(m)d minutes (service level %(s)d).")
                    % {"m": longest, "s": level_minutes},
                )
                break
    count = waiting.count()
    open_windows = hall.windows.filter(state=WindowState.OPEN).count()
    if count and not open_windows:
        found[AlertKind.SATURATION] = (
            AlertLevel.CRITICAL,
            _("%(n)d waiting and no window open.") % {"n": count},
        )
    elif open_windows and count / open_windows > hall.saturation_per_window:
        per = count / open_windows
        level = AlertLevel.WARNING if per > 1.5 * hall.saturation_per_window else AlertLevel.NOTICE
        found[AlertKind.SATURATION] = (
            level,
            _("%(per).1f waiting per open window.") % {"per": per},
        )
    stranded = list(
        waiting.filter(target_window__isnull=False)
        .exclude(target_window__state=WindowState.OPEN)
        .order_by("queued_at", "pk")
        .values_list("number", "target_window__number", "target_window__state")
    )
    if stranded:
        # Nobody calls them there; a closed window will not come back today, a paused one may.
        closed = any(state == WindowState.CLOSED for _n, _w, state in stranded)
        named = [
            _("%(number)s at window %(window)d (%(state)s)")
            % {"number": number, "window": window, "state": WindowState(state).label}
            for number, window, state in stranded[:3]
        ]
        found[AlertKind.NOT_OPEN] = (
            AlertLevel.WARNING if closed else AlertLevel.NOTICE,
            _("%(n)d waiting for a window that is not open: %(tickets)s.")
            % {"n": len(stranded), "tickets": _(", ").join(named) + ("…" if stranded[3:] else "")},
        )
    # Ended during the day means replaced by the holder's appointment ticket: one visit, one
    # ticket, as the KPIs count it (the day's-end pass ends tickets only after the day).
    today = Ticket.objects.filter(hall=hall, day=day).exclude(state=TicketState.ENDED)
    issued = today.count()
    lost = today.filter(state__in=[TicketState.NO_SHOW, TicketState.CANCELLED]).count()
    # Too few tickets say nothing about a rate.
    if issued >= 10 and lost * 100 > hall.abandon_rate_percent * issued:
        rate = 100 * lost / issued
        level = AlertLevel.WARNING if rate > 2 * hall.abandon_rate_percent else AlertLevel.NOTICE
        found[AlertKind.ABANDON] = (
            level,
            _("%(rate).0f%% of today's tickets were no-shows or left.") % {"rate": rate},
        )
    return found


def alert_text(hall: Hall, alert: Alert) -> str:
    """The alert's SMS line: one pattern, so zh-Hans reads 【提醒】某中心：… with full-width
    marks and English keeps "[Notice] Hall: …" (pieces joined in code mixed the two)."""
    return _("[%(level)s] %(unit)s: %(message)s") % {
        "level": alert.get_level_display(),
        "unit": hall.unit.name,
        "message": alert.message,
    }


def _notify(hall: Hall, alert: Alert) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(hall, alert)


def _send(hall: Hall, alert: Alert) -> None:
    unit = hall.unit
    managers = User.objects.filter(
        unit=unit, is_active=True, role_grants__role=Role.HALL_MANAGER
    ).exclude(email="")
    message = notify.Message(
        order_number=hall.code,
        action=f"hall_alert_{alert.kind}",
        unit_name=unit.name,
        recipients_phone=tuple(p for p in [unit.contact_phone] if p),
        recipients_email=tuple(managers.values_list("email", flat=True)),
        text=alert_text(hall, alert),
    )
    for notifier in notify.notifiers():
        try:
            notifier.send(message)
        except Exception:
            # A failed SMS must not stop the board.
            log.exception("notifier %s failed for hall %s", type(notifier).__name__, hall.code)


def _after_commit(hall: Hall, alert: Alert) -> None:
    transaction.on_commit(lambda: _notify(hall, alert))


def _reopen(hall: Hall, kind: str, level: int, message: str, now: dt.datetime) -> bool:
    """The condition of an alert cleared within the quiet period is back: that alert again,
    acknowledged or not as it was, notified only when worse than before (the escalation). Before,
    a wait that crossed the service level back and forth raised a new alert and sent a new SMS at
    each crossing. Conditional on the clearing read, so of two passes only one reopens."""
    quiet = settings.HALL_ALERT_QUIET_MINUTES
    if not quiet:
        return False
    recent = (
        Alert.objects.filter(
            hall=hall, kind=kind, cleared_at__gte=now - dt.timedelta(minutes=quiet)
        )
        .order_by("-cleared_at", "-pk")
        .first()
    )
    if recent is None:
        return False
    worse = level > recent.level
    changes: dict[str, object] = {"cleared_at": None, "message": message}
    if worse:
        changes |= {"level": level, "acknowledged_at": None, "acknowledged_by": None}
    try:
        with transaction.atomic():
            reopened = Alert.objects.filter(pk=recent.pk, cleared_at=recent.cleared_at).update(
                **changes
            )
    except IntegrityError:
        return True  # another pass raised or reopened it a moment ago
    if not reopened:
        return True  # another pass reopened it
    if worse:
        recent.level, recent.message = level, message
        _after_commit(hall, recent)
    return True


def evaluate(hall: Hall, *, now: dt.datetime | None = None) -> list[Alert]:
    """Raise, escalate or clear the hall's alerts; returns the live ones, worst first."""
    now = now or clock.now()
    # Stored and texted in the hall's language (LANGUAGE_CODE), whoever's page evaluated it:
    # before, a board open in English rewrote the stored message in English on every poll (and
    # a board in Chinese back again), and the SMS to the centre's phone was in the language of
    # whichever page raised it. The board shows each alert in its viewer's language (below).
    with translation.override(settings.LANGUAGE_CODE):
        conditions = _conditions(hall, now)
    live = {a.kind: a for a in Alert.objects.filter(hall=hall, cleared_at__isnull=True)}
    for kind, alert in live.items():
        if kind not in conditions:
            Alert.objects.filter(pk=alert.pk, cleared_at__isnull=True).update(cleared_at=now)
    for kind, (level, message) in conditions.items():
        current = live.get(kind)
        if current is None and _reopen(hall, kind, level, message, now):
            continue
        if current is None:
            try:
                with transaction.atomic():
                    raised = Alert.objects.create(
                        hall=hall, kind=kind, level=level, message=message, raised_at=now
                    )
            except IntegrityError:
                continue  # another board raised it a moment ago
            _after_commit(hall, raised)
        elif level > current.level:
            # Worse than what was acknowledged: it needs a new acknowledgement. Conditional on
            # the level read: of two passes at once (the worker, a board) only the one that
            # escalates notifies, so the manager gets one SMS.
            escalated = Alert.objects.filter(pk=current.pk, level__lt=level).update(
                level=level, message=message, acknowledged_at=None, acknowledged_by=None
            )
            if escalated:
                current.level, current.message = level, message
                _after_commit(hall, current)
        elif message != current.message:
            Alert.objects.filter(pk=current.pk).update(message=message)
    standing = list(
        Alert.objects.filter(hall=hall, cleared_at__isnull=True).order_by("-level", "raised_at")
    )
    if translation.get_language() != translation.get_supported_language_variant(
        settings.LANGUAGE_CODE
    ):
        shown = _conditions(hall, now)  # the same conditions, worded for the page's reader
        for alert in standing:
            if alert.kind in shown:
                alert.message = shown[alert.kind][1]
    return standing


def acknowledge(alert: Alert, user: User, *, now: dt.datetime | None = None) -> None:
    """The hall manager has seen it (the alert stays until its condition ends)."""
    if not user.has_role(Role.HALL_MANAGER) or user.unit_id != alert.hall.unit_id:
        raise NotAllowed(_("Only this hall's manager acknowledges its alerts."))
    now = now or clock.now()
    updated = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=user
    )
    if updated != 1:
        raise InvalidTransition(_("This alert was already acknowledged."))
    alert.acknowledged_at, alert.acknowledged_by = now, user
