"""Which rating steps are allowed from which state, and who may take them: the one table.

The write path (:mod:`hotline.ratings.actions`) enforces it; pages ask :func:`allowed` so they
only offer what the server would accept. A rating is the citizen's: the rating and the follow-up
are taken by nobody logged in (``roles=None``), so a clerk's session cannot rate for a citizen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hotline.hall.rules import Conflict, HallError, InvalidInput, InvalidTransition, NotAllowed
from hotline.org.models import Role, User
from hotline.ratings.models import AppealState, Rating, RatingAction, RatingState

__all__ = [
    "RULES",
    "Conflict",
    "HallError",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "Rule",
    "allowed",
    "check",
]

RATED, RECTIFYING, FOLLOWED_UP = (
    RatingState.RATED,
    RatingState.RECTIFYING,
    RatingState.FOLLOWED_UP,
)
ANY = frozenset({RATED, RECTIFYING, FOLLOWED_UP})


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str | None  # None: the state stays
    roles: frozenset[str] | None  # None: the citizen (nobody logged in)
    system: bool = False  # taken by the write path itself (no actor)


RULES: dict[str, Rule] = {
    # 差评 → the 12345 work order, in the rating's own transaction.
    RatingAction.RECTIFY: Rule(frozenset({RATED}), RECTIFYING, frozenset(), system=True),
    # 追评: once, after the rectification order is closed (checked in the action).
    RatingAction.FOLLOW_UP: Rule(frozenset({RECTIFYING}), FOLLOWED_UP, None),
    # The hall contests a mistaken rating; the hotline centre's supervisor decides.
    RatingAction.APPEAL: Rule(ANY, None, frozenset({Role.HALL_MANAGER})),
    RatingAction.APPROVE_APPEAL: Rule(ANY, None, frozenset({Role.SUPERVISOR})),
    RatingAction.REJECT_APPEAL: Rule(ANY, None, frozenset({Role.SUPERVISOR})),
}

#: The appeal state each appeal step needs.
APPEAL_NEEDS: dict[str, frozenset[str]] = {
    RatingAction.APPEAL: frozenset({AppealState.NONE}),
    RatingAction.APPROVE_APPEAL: frozenset({AppealState.PENDING}),
    RatingAction.REJECT_APPEAL: frozenset({AppealState.PENDING}),
}


def refuse_staff(actor: User | None) -> None:
    """A rating comes from the citizen: any logged-in member of staff is refused (the clerk who
    served cannot rate their own service, nor can a colleague)."""
    if actor is not None and actor.is_authenticated:
        raise NotAllowed(_("Ratings are given by the citizen; staff cannot rate a service."))


def check(rating: Rating, actor: User | None, action: str) -> Rule:
    """Refuse a step the actor may not take on this rating now; ``actor=None`` is the citizen or
    the system."""
    rule = RULES[action]
    if rule.roles is None:
        refuse_staff(actor)
    elif actor is None:
        if not rule.system:
            raise NotAllowed(_("Log in to do this."))
    else:
        if not actor.has_role(*rule.roles):
            raise NotAllowed(_("Your role may not do this."))
        if Role.HALL_MANAGER in rule.roles and actor.unit_id != rating.hall.unit_id:
            raise NotAllowed(_("Only the manager of this hall may do this."))
    if rating.state not in rule.sources:
        raise InvalidTransition(
            _("Cannot do this to a rating that is %(state)s.")
            % {"state": RatingState(rating.state).label}
        )
    needs = APPEAL_NEEDS.get(action)
    if needs is not None and rating.appeal not in needs:
        raise InvalidTransition(
            _("The rating's appeal is %(appeal)s.")
            % {"appeal": AppealState(rating.appeal).label.lower()}
        )
    return rule


def allowed(rating: Rating, actor: User | None) -> list[str]:
    """The steps this person may take on this rating now (input checks still apply)."""
    out = []
    for action, rule in RULES.items():
        if rule.system:
            continue
        try:
            check(rating, actor, action)
        except HallError:
            continue
        out.append(action)
    return out
