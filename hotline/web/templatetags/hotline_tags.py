"""Template helpers: deadline badges and role checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from hotline import clock
from hotline.sla.calendar import get_calendar

register = template.Library()


def time_left(due: dt.datetime, now: dt.datetime) -> str:
    delta = due - now
    seconds = abs(delta.total_seconds())
    if seconds >= 86400:
        amount = _("%(n)d d") % {"n": seconds // 86400}
    elif seconds >= 3600:
        amount = _("%(n)d h") % {"n": seconds // 3600}
    else:
        amount = _("%(n)d min") % {"n": max(1, seconds // 60)}
    overdue = delta.total_seconds() < 0
    first, last = (due, now) if overdue else (now, due)
    # Both end days count as days off while the amount is whole days floored: read on Sunday
    # morning, a deadline of Friday morning is "1 d overdue" with two days off in the dates —
    # never more days off than days (review, session 22).
    off = min(days_off(first, last), int(seconds // 86400)) if seconds >= 86400 else 0
    if overdue:
        if off:
            # '9 d overdue' the day after National Day is two days of work missed, not nine: a
            # supervisor reads days as working days, as the deadlines count them.
            return _("%(t)s overdue (incl. %(off)s off work)") % {
                "t": amount,
                "off": _("%(n)d d") % {"n": off},
            }
        return _("%(t)s overdue") % {"t": amount}
    if off:
        # '2 d left' on a Friday afternoon is Monday morning: a tired handler reads two days
        # of work. The days off in between say what is really left (deadlines count working
        # days, sla.calendar).
        return _("%(t)s left (incl. %(off)s off work)") % {
            "t": amount,
            "off": _("%(n)d d") % {"n": off},
        }
    return _("%(t)s left") % {"t": amount}


def days_off(now: dt.datetime, due: dt.datetime) -> int:
    """Weekend days and holidays on the official calendar (调休 counts as work) from ``now``'s
    day up to ``due``'s, both included (for an overdue deadline: from its day up to today)."""
    calendar = get_calendar()
    first = now.astimezone(calendar.tz).date()
    last = due.astimezone(calendar.tz).date()
    return sum(
        not calendar.is_workday(first + dt.timedelta(days=i))
        for i in range((last - first).days + 1)
    )


def due_class(due: dt.datetime, now: dt.datetime) -> str:
    left = (due - now).total_seconds()
    if left < 0:
        return "bad"
    if left < 86400:
        return "warn"
    return "ok"


@register.simple_tag
def due_badge(due: dt.datetime | None, done: bool = False) -> SafeString | str:
    """A coloured badge: green with time to spare, amber within a day, red when overdue."""
    if due is None:
        return ""
    if done:
        return format_html('<span class="badge">{}</span>', _("done"))
    now = clock.now()
    return format_html(
        '<span class="badge {}" title="{}">{}</span>',
        due_class(due, now),
        due.isoformat(),
        time_left(due, now),
    )


@register.filter
def person(user: Any) -> str:
    """Who acted, as the pages name them: the full name, else the username; the system when
    nobody did (the worker, an import, the demo). ``user.get_full_name|default:user.username``
    raised on ``None`` (Django resolves a filter's argument strictly): pages that listed a
    worker's or an import's event answered 500."""
    if user is None:
        return _("system")
    return user.get_full_name() or user.username


@register.filter
def has_role(user: Any, roles: str) -> bool:
    return bool(user.is_authenticated and user.has_role(*roles.split(",")))


@register.filter
def dict_get(mapping: Any, key: Any) -> Any:
    """``{{ typed|dict_get:criterion.pk }}``: a value a person typed, to show it again."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
