"""The order page's timeline: each event with the facts a reader needs from its payload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hotline.orders.models import Action, CallbackOutcome, ContactWay, Event, Satisfaction


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _days(days: Any) -> str:
    if not isinstance(days, int):
        return ""
    return ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days}


def _local(iso: Any) -> str:
    try:
        when = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return ""
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def details(event: Event) -> list[str]:
    """Short facts from the event's payload, in the reader's language."""
    p = event.payload or {}
    action = event.action
    if action == Action.FIRST_CONTACT:
        return [_("Way: %(way)s") % {"way": _label(ContactWay, p.get("way"))}]
    if action == Action.CALLBACK:
        resolved = _("resolved") if p.get("resolved") else _("not resolved")
        return [
            _("Verdict: %(resolved)s, %(satisfaction)s")
            % {"resolved": resolved, "satisfaction": _label(Satisfaction, p.get("satisfaction"))}
        ]
    if action == Action.CALLBACK_ATTEMPT:
        return [
            _("Attempt %(n)s: %(outcome)s")
            % {"n": p.get("attempt", "?"), "outcome": _label(CallbackOutcome, p.get("outcome"))}
        ]
    if action == Action.CLOSE_UNREACHABLE:
        return [_("After %(n)s failed callback calls") % {"n": p.get("attempts", "?")}]
    if action in (Action.REQUEST_EXTENSION, Action.REJECT_EXTENSION):
        return [_days(p.get("days"))]
    if action == Action.APPROVE_EXTENSION:
        return [
            _days(p.get("days")),
            _("reply now due %(due)s") % {"due": _local(p.get("reply_due"))},
        ]
    return []


def timeline(events: Iterable[Event]) -> list[tuple[Event, list[str]]]:
    return [(event, [d for d in details(event) if d]) for event in events]
