"""Deadlines of an order from its category's policy and its urgency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline.sla.calendar import get_calendar

if TYPE_CHECKING:
    from hotline.org.models import Category
from hotline.sla.models import Basis, DeadlineRule, Urgency


@dataclass(frozen=True)
class Terms:
    """The amounts of one deadline rule; zero means "no deadline"."""

    basis: str
    accept: int
    first_contact: int
    reply: int
    return_window: int
    callback: int

    @classmethod
    def of(cls, rule: DeadlineRule) -> Terms:
        return cls(
            rule.basis,
            rule.accept,
            rule.first_contact,
            rule.reply,
            rule.return_window,
            rule.callback,
        )


#: Used when a category has no policy (or its policy no rule for the urgency): the common
#: "help / complaint" terms, so an order is never left without deadlines.
FALLBACK = {
    Urgency.NORMAL: Terms(Basis.WORKING_DAYS, 1, 1, 5, 2, 2),
    Urgency.URGENT: Terms(Basis.HOURS, 2, 4, 48, 4, 24),
    Urgency.CRITICAL: Terms(Basis.HOURS, 1, 2, 24, 2, 12),
}


def terms_for(category: Category | None, urgency: str) -> Terms:
    policy = category.effective_deadline_policy if category is not None else None
    if policy is not None:
        rule = policy.rule_for(urgency)
        if rule is not None:
            return Terms.of(rule)
    return FALLBACK[Urgency(urgency)]


def due(start: dt.datetime, amount: int, basis: str) -> dt.datetime | None:
    if amount <= 0:
        return None
    return get_calendar().add(start, amount, basis)


def dispatch_deadlines(start: dt.datetime, terms: Terms) -> dict[str, dt.datetime | None]:
    """Every unit-side deadline runs from the moment of dispatch."""
    return {
        "accept_due": due(start, terms.accept, terms.basis),
        "first_contact_due": due(start, terms.first_contact, terms.basis),
        "reply_due": due(start, terms.reply, terms.basis),
        "return_due": due(start, terms.return_window, terms.basis),
    }


def extend(reply_due: dt.datetime, working_days: int) -> dt.datetime:
    """An approved extension adds working days to the reply deadline in force."""
    return get_calendar().add_working_days(reply_due, working_days)
