"""Who may do what to a pre-review in which state: every step × every state × every person.

The table is written out here by hand (not read from rules.RULES), so a change to the rules
that nobody meant shows up as a failing cell. A refused step changes nothing: same state, same
version, no event.
"""

from __future__ import annotations

import pytest

from hotline.prereview import actions, rules
from hotline.prereview.models import PreReview, PreReviewState
from tests.prereview.conftest import pdf

S, M, R = "submitted", "more_needed", "resubmitted"
P, X, W = "passed", "rejected", "withdrawn"
STATES = [S, M, R, P, X, W]

#: step → (who takes it, the states it is allowed from, the state it leads to)
TABLE = {
    "pass": ("clerk", {S, R}, P),
    "ask_more": ("clerk", {S}, M),  # asked once: not again after the resubmission
    "reject": ("clerk", {S, R}, X),
    "resubmit": ("citizen", {M}, R),
    "withdraw": ("citizen", {S, M, R}, W),
    "link": ("system", {S, M, R, P}, None),  # the state stays
}
#: The hall's own clerks and manager decide; a clerk of another hall and a street's handler not.
PEOPLE = ["wendy", "walt", "hugo", "xavier", "una", "citizen", "system"]
DECIDERS = {"wendy", "walt", "hugo"}


def bring_to(pt, state: str) -> PreReview:
    review = pt.chen_files()
    if state in (M, R):
        actions.ask_more(review, pt.wendy, missing=[pt.lease.pk], note="缺租赁合同")
    if state == R:
        actions.resubmit(review, uploads={pt.lease.pk: pdf("合同.pdf")})
    if state == P:
        actions.pass_review(review, pt.wendy)
    if state == X:
        actions.reject(review, pt.wendy, reason="不符合条件")
    if state == W:
        actions.withdraw(review)
    review.refresh_from_db()
    assert review.state == state
    return review


def attempt(pt, review: PreReview, step: str, who: str) -> None:
    """Take ``step`` as ``who`` through the write path where that person can call it at all; a
    person who has no way in (a clerk resubmitting, the citizen passing) is asked of the table."""
    kind = TABLE[step][0]
    person = getattr(pt, who) if who not in ("citizen", "system") else None
    if kind == "clerk" and person is not None:
        if step == "pass":
            actions.pass_review(review, person)
        elif step == "ask_more":
            actions.ask_more(review, person, missing=[pt.photo.pk], note="照片不清楚")
        else:
            actions.reject(review, person, reason="不符合条件")
    elif kind == "citizen" and who == "citizen":
        if step == "resubmit":
            actions.resubmit(review, uploads={pt.lease.pk: pdf("合同.pdf")})
        else:
            actions.withdraw(review)
    else:
        actor = {"citizen": rules.Actor.CITIZEN, "system": rules.Actor.SYSTEM}.get(
            who, rules.Actor.CLERK
        )
        rules.check(step, review, actor, person)


def allowed(step: str, state: str, who: str) -> bool:
    kind, sources, _target = TABLE[step]
    if state not in sources:
        return False
    if kind == "clerk":
        return who in DECIDERS
    return who == kind


@pytest.mark.parametrize("state", STATES)
def test_transition_matrix(pt, state):
    for step in TABLE:
        for who in PEOPLE:
            review = bring_to(pt, state)
            before = (review.state, review.version, review.events.count())
            cell = f"{who} {step} in {state}"
            if allowed(step, state, who):
                attempt(pt, review, step, who)
                review.refresh_from_db()
                target = TABLE[step][2]
                if who != "system":  # the system's link is checked in the table only here
                    assert review.state == target, cell
                    assert review.events.count() == before[2] + 1, cell
            else:
                with pytest.raises(rules.PreReviewError):
                    attempt(pt, review, step, who)
                review.refresh_from_db()
                assert (review.state, review.version, review.events.count()) == before, cell


def test_the_pages_offer_exactly_the_allowed_decisions(pt):
    review = bring_to(pt, R)
    assert rules.allowed(review, rules.Actor.CLERK, pt.wendy) == ["pass", "reject"]
    assert rules.allowed(review, rules.Actor.CLERK, pt.xavier) == []
    assert rules.allowed(review, rules.Actor.CITIZEN) == ["withdraw"]
    assert PreReviewState(review.state) is PreReviewState.RESUBMITTED
