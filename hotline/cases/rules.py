"""Which case steps are allowed from which state, and who may take them: the one table.

The write path (:mod:`hotline.cases.actions`) enforces it; the case page asks
:func:`allowed_actions` so it offers only what the server would accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hotline.cases.models import Case, CaseAction, CaseState
from hotline.org.models import Role, User

OPENED, K, A, S = CaseState.OPENED, CaseState.CORRECTION, CaseState.ACCEPTED, CaseState.SPECIAL
#: Hall clerks and the manager of the hall's unit act on its cases.
STAFF = frozenset({Role.HALL_CLERK, Role.HALL_MANAGER})


class CaseError(Exception):
    """Base of the refusals the write path raises; the message is for the person."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message, self.field = message, field


class NotAllowed(CaseError):
    pass


class InvalidTransition(CaseError):
    pass


class InvalidInput(CaseError):
    pass


class Conflict(CaseError):
    """Someone else changed the case first."""


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str | None  # None: the state stays (or, for CORRECTION_COMPLETE, is decided by events)
    system: bool = False  # the worker (no actor) may take it
    people: bool = True  # a clerk may take it


RULES: dict[str, Rule] = {
    CaseAction.ACCEPT: Rule(frozenset({OPENED}), A),
    # 不予受理 is decided before acceptance; after it, a refusal is a conclusion (办结, refused).
    CaseAction.REFUSE: Rule(frozenset({OPENED, K}), CaseState.REFUSED),
    # One notice listing everything missing (一次性告知); the clock pauses until it is complete.
    CaseAction.REQUEST_CORRECTION: Rule(frozenset({OPENED, A}), K),
    # Taken by the receipt of the last missing item: back to the state the notice came from.
    CaseAction.CORRECTION_COMPLETE: Rule(frozenset({K}), None),
    CaseAction.START_SPECIAL: Rule(frozenset({A}), S),
    CaseAction.END_SPECIAL: Rule(frozenset({S}), A),
    CaseAction.CONCLUDE: Rule(frozenset({A}), CaseState.CONCLUDED),
    CaseAction.DELIVER: Rule(frozenset({CaseState.CONCLUDED}), CaseState.DELIVERED),
    CaseAction.RECEIVE: Rule(frozenset({OPENED, K, A}), None),
    # 容缺受理: promised while the materials are checked, fulfilled any time until delivery.
    CaseAction.PROMISE: Rule(frozenset({OPENED}), None),
    CaseAction.FULFIL_PROMISE: Rule(frozenset({OPENED, K, A, S, CaseState.CONCLUDED}), None),
    # A visit: a served ticket, a remote session, or a pick-up of a concluded case.
    CaseAction.VISIT: Rule(frozenset({OPENED, K, A, S, CaseState.CONCLUDED}), None),
    # The citizen must come again for another reason than a correction notice (a material they
    # can fetch, the system down): recorded so the extra trip has its cause.
    CaseAction.RETURN_ASKED: Rule(frozenset({OPENED, A}), None),
    CaseAction.URGE: Rule(frozenset({OPENED, A}), None, system=True, people=False),
    # The ticket moved to another matter before anything was received or decided (撤回).
    CaseAction.WITHDRAW: Rule(frozenset({OPENED}), CaseState.WITHDRAWN),
    # The booking's holder renamed by staff (a typo the citizen rang about): the name on the
    # receipt and the notices follows until the case is delivered. Taken only by
    # :func:`~hotline.cases.actions.rename_applicant` from the booking's rename, whoever may
    # rename the booking (the admin) — not a step on the case page.
    CaseAction.RENAME: Rule(frozenset({OPENED, K, A, S, CaseState.CONCLUDED}), None, people=False),
    # The applicant's consent, by the code texted to their number, to list their 12345 orders on
    # the case (hotline.cases.orders_consent): whatever the case's state, they may come back.
    CaseAction.ORDERS_CONSENT: Rule(frozenset(CaseState.values), None),
    # The code typed for it not taken: recorded on the case as the consent is.
    CaseAction.ORDERS_CONSENT_REFUSED: Rule(frozenset(CaseState.values), None),
}

#: Steps a clerk chooses on the case page (the others follow from receipts, visits, the worker).
PAGE_ACTIONS = (
    CaseAction.ACCEPT,
    CaseAction.REFUSE,
    CaseAction.REQUEST_CORRECTION,
    CaseAction.START_SPECIAL,
    CaseAction.END_SPECIAL,
    CaseAction.CONCLUDE,
    CaseAction.DELIVER,
)


def may_act(actor: User | None, case: Case) -> bool:
    return actor is not None and actor.has_role(*STAFF) and actor.unit_id == case.hall.unit_id


def check(action: str, case: Case, actor: User | None) -> Rule:
    """The rule for ``action`` on ``case`` now, or the refusal a person can read."""
    rule = RULES[action]
    if actor is None:
        if not rule.system:
            raise NotAllowed(_("Only the hall's clerks and manager may do this."))
    elif not rule.people or not may_act(actor, case):
        raise NotAllowed(_("Only the hall's clerks and manager may do this."))
    if case.state not in rule.sources:
        raise InvalidTransition(
            _("A case in state %(state)s cannot be %(action)s.")
            % {"state": CaseState(case.state).label, "action": CaseAction(action).label}
        )
    return rule


def allowed_actions(case: Case, actor: User) -> list[str]:
    found: list[str] = []
    for action in PAGE_ACTIONS:
        try:
            check(action, case, actor)
        except CaseError:
            continue
        found.append(action)
    return found
