"""The order page's timeline: each event with the facts a reader needs from its payload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hotline.orders.models import Action, CallbackOutcome, ContactWay, Event, Satisfaction
from hotline.org.models import Unit


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


#: Events that move an order inside its lead unit (二级派单): their payload names the units.
INSIDE = (Action.ASSIGN_INSIDE, Action.HAND_BACK)

#: Events that send an order to a lead unit with co-units: their payload names the co-units as
#: they were then (the page's header shows only today's; walk-through, session 26, L2).
SENDING = (Action.DISPATCH, Action.REDISPATCH, Action.APPROVE_RETURN)


def _codes(event: Event) -> list[str]:
    """The unit codes the event's facts name."""
    p = event.payload or {}
    if event.action in INSIDE:
        return [c for c in (p.get("from_unit"), p.get("to_unit")) if c]
    if event.action in SENDING:
        return [c for c in p.get("co_units") or () if isinstance(c, str)]
    return []


def details(event: Event, unit_names: dict[str, str] | None = None) -> list[str]:
    """Short facts from the event's payload, in the reader's language."""
    p = event.payload or {}
    action = event.action
    if action in INSIDE:
        names = unit_names or {}
        facts = [
            _("From %(from)s to %(to)s")
            % {
                "from": names.get(p.get("from_unit") or "", p.get("from_unit") or "—"),
                "to": names.get(p.get("to_unit") or "", p.get("to_unit") or "—"),
            }
        ]
        if p.get("by_centre"):
            # The centre named a sub-unit: dispatched to its first-level unit, assigned with it.
            facts.append(_("Named by the hotline centre with the dispatch"))
        return facts
    if action in SENDING:
        names = unit_names or {}
        co = _codes(event)
        if not co:
            return []
        return [_("Co-units: %(units)s") % {"units": _(", ").join(names.get(c, c) for c in co)}]
    if action == Action.FIRST_CONTACT:
        return [_("Way: %(way)s") % {"way": _label(ContactWay, p.get("way"))}]
    if action == Action.COMMENT and p.get("attachment"):
        # An attachment is recorded as a comment (actions.attach): without this its line was an
        # empty 备注, saying neither that a file came nor which.
        return [_("Attached %(name)s.") % {"name": p["attachment"]}]
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
    events = list(events)
    codes = {code for e in events for code in _codes(e)}
    names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return [(event, [d for d in details(event, names) if d]) for event in events]
