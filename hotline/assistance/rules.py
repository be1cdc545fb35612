"""Which 帮办 / 代办 steps are allowed from which state, and who takes them: the one table.

The hall's clerks and manager act for their own hall; a leader may do 帮办 at any hall (the
seed's leader did, at a one-window-for-all counter) but does not run 代办.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hotline.assistance.models import AssistAction, Assistance, AssistState, Kind
from hotline.hall.models import Hall
from hotline.hall.rules import STAFF, InvalidTransition, NotAllowed
from hotline.org.models import Role, User

S = AssistState


@dataclass(frozen=True)
class Rule:
    kind: str
    sources: frozenset[str]
    target: str


RULES: dict[str, Rule] = {
    AssistAction.END: Rule(Kind.HELP, frozenset({S.OPEN}), S.ENDED),
    AssistAction.ACCEPT: Rule(Kind.PROXY, frozenset({S.AUTHORISED}), S.ACCEPTED),
    AssistAction.SUBMIT: Rule(Kind.PROXY, frozenset({S.ACCEPTED}), S.SUBMITTED),
    AssistAction.COMPLETE: Rule(Kind.PROXY, frozenset({S.SUBMITTED}), S.COMPLETED),
    AssistAction.WITHDRAW: Rule(
        Kind.PROXY, frozenset({S.AUTHORISED, S.ACCEPTED, S.SUBMITTED}), S.WITHDRAWN
    ),
}


def may_act(actor: User, hall: Hall, kind: str) -> None:
    """Refuse anyone but this hall's staff, or a leader for 帮办."""
    if actor.has_role(*STAFF) and actor.unit_id == hall.unit_id:
        return
    if kind == Kind.HELP and actor.has_role(Role.LEADER):
        return
    raise NotAllowed(_("Only this hall's staff, or a leader helping a citizen, may do this."))


def check(assistance: Assistance, actor: User, action: str) -> Rule:
    rule = RULES[action]
    may_act(actor, assistance.hall, assistance.kind)
    if assistance.kind != rule.kind or assistance.state not in rule.sources:
        raise InvalidTransition(
            _("Cannot do this now: it is %(state)s.")
            % {"state": AssistState(assistance.state).label}
        )
    return rule


def next_steps(assistance: Assistance, actor: User) -> list[str]:
    out = []
    for action in RULES:
        try:
            check(assistance, actor, action)
        except (NotAllowed, InvalidTransition):
            continue
        out.append(action)
    return out
