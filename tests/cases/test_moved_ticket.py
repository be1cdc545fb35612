"""A ticket moved to another matter after service started (issue 18 gap).

Decided: the case opened at the ticket for the first matter is withdrawn (撤回: a case event with
the move as its reason) when nothing was received or decided on it, so it is not left open and
urged for an application nobody made; once materials are on the receipt or a decision was made,
the move is refused and the clerk finishes that case first. Mrs Zhou came for a 居住证 at Wendy's
window, but really needed the 老年综合津贴: Wendy moves her ticket.
"""

from __future__ import annotations

import pytest
import time_machine

from hotline.assessment import hall_cases, periods
from hotline.cases import actions
from hotline.cases.models import Case, CaseAction, CaseState, LineState
from hotline.cases.rules import InvalidTransition
from hotline.hall import actions as hall
from hotline.hall.rules import InvalidTransition as HallRefusal
from tests.cases.conftest import serve
from tests.conftest import at

pytestmark = pytest.mark.django_db
MOVED = at("2025-03-04 10:05")


def test_an_untouched_case_is_withdrawn_with_the_move_as_its_reason(ct):
    ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    withdrawn = actions.withdraw_for_transfer(ticket, ct.town.wendy, ct.town.allowance, now=MOVED)
    assert [c.pk for c in withdrawn] == [case.pk]
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN
    event = case.events.order_by("-seq").first()
    assert event.action == CaseAction.WITHDRAW and "老年综合津贴申请" in event.reason
    assert event.payload == {"to_matter": "lnjt"}
    # The worker does not urge it, and it counts in no figure.
    assert actions.urge_due(at("2025-03-20 10:00")) == 0
    march = periods.between(*periods.month_days("2025-03"))
    assert hall_cases.figures(*march, now=at("2025-04-01 09:00")) == {}


def test_served_again_for_the_new_matter_the_ticket_opens_a_fresh_case(ct):
    ticket, _first = serve(ct, ct.residence, at("2025-03-04 10:00"))
    with time_machine.travel(MOVED, tick=False):
        # The hall's transfer withdraws the case it leaves, in its own transaction.
        hall.transfer(ticket, ct.town.wendy, matter=ct.town.allowance, reason="需办津贴")
        ticket.refresh_from_db()
        hall.call_ticket(ct.town.w1, ct.town.wendy, ticket, reason="转办")
        hall.start(ticket, ct.town.wendy)
    opened = list(Case.objects.filter(ticket=ticket).order_by("pk"))
    assert [c.matter.code for c in opened] == ["jzz", "lnjt"]
    assert [c.state for c in opened] == [CaseState.WITHDRAWN, CaseState.OPENED]


def test_the_move_is_refused_once_materials_are_on_the_receipt(ct):
    ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    line = case.submission.lines.get(name="居民身份证")
    actions.receive(
        case.submission,
        ct.town.wendy,
        {line.pk: actions.Received(LineState.RECEIVED, line.form, 1)},
        now=at("2025-03-04 10:02"),
    )
    with pytest.raises(InvalidTransition, match=case.number):
        actions.withdraw_for_transfer(ticket, ct.town.wendy, ct.town.allowance, now=MOVED)
    case.refresh_from_db()
    assert case.state == CaseState.OPENED


def test_the_move_is_refused_once_the_case_is_accepted(ct):
    ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    entries = {
        line.pk: actions.Received(LineState.RECEIVED, line.form, line.copies)
        for line in case.submission.lines.all()
    }
    actions.receive(case.submission, ct.town.wendy, entries, now=at("2025-03-04 10:02"))
    actions.accept(case, ct.town.wendy, now=at("2025-03-04 10:03"))
    with pytest.raises(InvalidTransition):
        actions.withdraw_for_transfer(ticket, ct.town.wendy, ct.town.allowance, now=MOVED)


def test_a_returning_citizens_earlier_case_keeps_the_visit(ct):
    _first, earlier = serve(ct, ct.residence, at("2025-03-04 10:00"), holder_key="k-zhou")
    missing = {
        line.pk: actions.Received(LineState.MISSING) for line in earlier.submission.lines.all()
    }
    actions.receive(earlier.submission, ct.town.wendy, missing, now=at("2025-03-04 10:02"))
    actions.request_correction(earlier.submission, ct.town.wendy, now=at("2025-03-04 10:03"))
    again, linked = serve(ct, ct.residence, at("2025-03-05 10:00"), holder_key="k-zhou")
    assert linked.pk == earlier.pk
    assert actions.withdraw_for_transfer(again, ct.town.wendy, ct.town.allowance, now=MOVED) == []
    earlier.refresh_from_db()
    assert earlier.state == CaseState.CORRECTION


def test_only_the_halls_staff_may_withdraw(ct):
    ticket, _case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    with pytest.raises(actions.NotAllowed):
        actions.withdraw_for_transfer(ticket, ct.town.district.una, ct.town.allowance, now=MOVED)


def test_the_halls_transfer_is_refused_with_the_reason_once_materials_are_received(ct):
    ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    line = case.submission.lines.get(name="居民身份证")
    actions.receive(
        case.submission,
        ct.town.wendy,
        {line.pk: actions.Received(LineState.RECEIVED, line.form, 1)},
        now=at("2025-03-04 10:02"),
    )
    with pytest.raises(HallRefusal, match="已收取材料"):
        hall.transfer(ticket, ct.town.wendy, matter=ct.town.allowance, reason="需办津贴", now=MOVED)
    ticket.refresh_from_db()
    assert ticket.matter_id == ct.residence.pk and ticket.state == "serving"
