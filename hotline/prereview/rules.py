"""Which pre-review steps are allowed from which state, and who may take them: the one table.

Three kinds of actor: the **citizen** (no login; holds the pre-review's link), a **clerk** (the
hall's window clerks and manager, of the hall the pre-review was filed with) and the **system**
(linking the later visit). The write path (:mod:`hotline.prereview.actions`) enforces it; the
pages ask :func:`allowed` so they offer only what the server would accept.

More materials are asked for once (一次性告知): after the resubmission the clerk passes or
rejects, and cannot send the citizen back a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext as _

from hotline.org.models import Role, User
from hotline.prereview.models import LINKABLE, PreReview, PreReviewAction, PreReviewState

S, M, R = PreReviewState.SUBMITTED, PreReviewState.MORE_NEEDED, PreReviewState.RESUBMITTED
#: Hall clerks and the manager of the hall's unit decide pre-reviews.
STAFF = frozenset({Role.HALL_CLERK, Role.HALL_MANAGER})
#: The hotline's intake roles text a caller a pre-review link.
INVITERS = frozenset({Role.OPERATOR, Role.DISPATCHER})


class Actor(Enum):
    CITIZEN = "citizen"
    CLERK = "clerk"
    SYSTEM = "system"


class PreReviewError(Exception):
    """Base of the refusals the write path raises; the message is for the person."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message, self.field = message, field


class NotAllowed(PreReviewError):
    pass


class InvalidTransition(PreReviewError):
    pass


class InvalidInput(PreReviewError):
    pass


class Conflict(PreReviewError):
    """Someone else changed the pre-review first."""


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str | None  # None: the state stays
    actor: Actor


RULES: dict[str, Rule] = {
    PreReviewAction.PASS: Rule(frozenset({S, R}), PreReviewState.PASSED, Actor.CLERK),
    # The one notice: only the first submission can be sent back for more.
    PreReviewAction.ASK_MORE: Rule(frozenset({S}), M, Actor.CLERK),
    PreReviewAction.REJECT: Rule(frozenset({S, R}), PreReviewState.REJECTED, Actor.CLERK),
    PreReviewAction.RESUBMIT: Rule(frozenset({M}), R, Actor.CITIZEN),
    PreReviewAction.WITHDRAW: Rule(frozenset({S, M, R}), PreReviewState.WITHDRAWN, Actor.CITIZEN),
    PreReviewAction.LINK: Rule(frozenset(LINKABLE), None, Actor.SYSTEM),
}

#: The clerk's decisions, in the order the review page offers them.
DECISIONS = (PreReviewAction.PASS, PreReviewAction.ASK_MORE, PreReviewAction.REJECT)


def may_review(user: User | None, review: PreReview) -> bool:
    """The hall's own clerks and manager; nobody from another hall or unit."""
    return (
        user is not None
        and user.is_authenticated
        and user.has_role(*STAFF)
        and user.unit_id == review.hall.unit_id
    )


def may_invite(user: User | None) -> bool:
    """Who may text a caller a pre-review link from intake."""
    return user is not None and user.is_authenticated and user.has_role(*INVITERS)


def check(action: str, review: PreReview, actor: Actor, user: User | None = None) -> Rule:
    """The rule for ``action`` on ``review`` now, or the refusal a person can read."""
    rule = RULES[action]
    if rule.actor is not actor:
        raise NotAllowed(
            _("Only the citizen who filed it may do this.")
            if rule.actor is Actor.CITIZEN
            else _("Only the hall's clerks and manager may do this.")
        )
    if actor is Actor.CLERK and not may_review(user, review):
        raise NotAllowed(_("Only the hall's clerks and manager may do this."))
    if review.state not in rule.sources:
        raise InvalidTransition(
            _("A pre-review in state %(state)s cannot be %(action)s.")
            % {
                "state": PreReviewState(review.state).label,
                "action": PreReviewAction(action).label,
            }
        )
    return rule


def allowed(review: PreReview, actor: Actor, user: User | None = None) -> list[str]:
    """The steps ``actor`` may take on ``review`` now (what a page offers)."""
    found: list[str] = []
    for action in RULES:
        try:
            check(action, review, actor, user)
        except PreReviewError:
            continue
        found.append(action)
    return found
