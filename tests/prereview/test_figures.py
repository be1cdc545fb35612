"""Pre-review figures of 大宁路 for the week of 9–13 March 2026, against a hand-computed fixture.

Pre-reviews filed that week: Chen (passed), Li (more needed), Zhou (rejected), Sun (withdrawn),
Wu (waiting) — 5; Ma's passed one was filed on 2 March (outside) and a pre-review at the other
hall does not count. Pass rate: 1 passed / 2 decided = 50.0 %.

Cases opened that week (4):
- Chen, pre-reviewed: ticket 10 March 09:00, accepted 09:30 (0.5 h), concluded: 1 visit.
- Ma, pre-reviewed: ticket 10 March 10:00, accepted 11:00 (1.0 h), concluded: 1 visit.
- Dong, no pre-review: ticket 10 March 09:00, a 补正 notice, back 11 March 10:00, accepted
  10:30 (25.5 h), concluded: 2 visits.
- Fang, anonymous: ticket 12 March 14:00, still being checked (not finished, not accepted).
- Gao's case (12 March 15:00) is withdrawn when his ticket moves to another matter: not counted.
With: 2 cases, mean trips 2/2 = 1.00, mean hours (0.5 + 1.0)/2 = 0.75 → 0.8.
Without: 2 cases, 1 finished with 2 visits = 2.00, 1 accepted in 25.5 h.
Share pre-reviewed: 2 / 4 = 50.0 %.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from hotline.cases import actions as cases
from hotline.cases.models import Case, LineState, Outcome
from hotline.hall.identity import holder_key
from hotline.prereview import actions
from hotline.prereview.figures import prereview_figures, unit_prereview_figures
from tests.cases.conftest import serve
from tests.conftest import at
from tests.prereview.conftest import pdf

WEEK = (dt.date(2026, 3, 9), dt.date(2026, 3, 13))


def _file(pt, name: str, phone: str, when: str, hall=None):
    with time_machine.travel(at(when), tick=False):
        return actions.submit(
            hall or pt.hall,
            pt.residence,
            name=name,
            phone=phone,
            uploads={pt.id_card.pk: pdf()},
        )


def _receive_all(case: Case, clerk, skip=()) -> None:
    entries = {
        line.pk: cases.Received(
            LineState.MISSING if line.name in skip else LineState.RECEIVED, line.form, line.copies
        )
        for line in case.submission.lines.all()
    }
    cases.receive(case.submission, clerk, entries)


def _served_and_accepted(pt, phone: str, ticket_at: str, accepted_at: str) -> Case:
    _ticket, case = serve(pt.ct, pt.residence, at(ticket_at), holder_key=holder_key(phone=phone))
    with time_machine.travel(at(accepted_at), tick=False):
        _receive_all(case, pt.wendy)
        cases.accept(case, pt.wendy)
        cases.conclude(case, pt.wendy, outcome=Outcome.APPROVED)
    return case


def test_the_week_at_danning_road(pt):
    wendy = pt.wendy
    chen = _file(pt, "陈丽", "13900000001", "2026-03-09 08:00")
    ma = _file(pt, "马强", "13900000002", "2026-03-02 08:00")
    li = _file(pt, "李伟", "13900000003", "2026-03-09 09:00")
    zhou = _file(pt, "周敏", "13900000004", "2026-03-10 09:00")
    sun = _file(pt, "孙洁", "13900000005", "2026-03-11 09:00")
    _file(pt, "吴昊", "13900000006", "2026-03-13 23:30")  # still waiting, late on Friday
    _file(pt, "郑凯", "13900000007", "2026-03-10 09:00", hall=pt.other_window.hall)
    for review in (chen, ma):
        actions.pass_review(review, wendy)
    actions.ask_more(li, wendy, missing=[pt.lease.pk], note="缺合同")
    actions.reject(zhou, wendy, reason="不符合条件")
    actions.withdraw(sun)

    _served_and_accepted(pt, "13900000001", "2026-03-10 09:00", "2026-03-10 09:30")
    _served_and_accepted(pt, "13900000002", "2026-03-10 10:00", "2026-03-10 11:00")
    _t, dong = serve(
        pt.ct, pt.residence, at("2026-03-10 09:00"), holder_key=holder_key(phone="13900000008")
    )
    with time_machine.travel(at("2026-03-10 09:20"), tick=False):
        _receive_all(dong, wendy, skip=["房屋租赁合同"])
        cases.request_correction(dong.submission, wendy)
    serve(pt.ct, pt.residence, at("2026-03-11 10:00"), holder_key=holder_key(phone="13900000008"))
    with time_machine.travel(at("2026-03-11 10:30"), tick=False):
        _receive_all(dong, wendy)
        dong.refresh_from_db()
        cases.accept(dong, wendy)
        cases.conclude(dong, wendy, outcome=Outcome.APPROVED)
    serve(pt.ct, pt.residence, at("2026-03-12 14:00"))  # Fang, anonymous, still being checked
    # Gao's ticket is moved to 老年综合津贴 before anything was received: no application.
    gao, _case = serve(pt.ct, pt.residence, at("2026-03-12 15:00"))
    with time_machine.travel(at("2026-03-12 15:05"), tick=False):
        cases.withdraw_for_transfer(gao, wendy, pt.ct.town.allowance)

    got = prereview_figures(pt.hall, *WEEK)
    assert (got.submitted, got.passed, got.more_needed, got.rejected, got.withdrawn) == (
        5,
        1,
        1,
        1,
        1,
    )
    assert got.waiting == 1
    assert got.pass_rate == Decimal("50.0")
    assert (got.cases, got.prereviewed, got.share_prereviewed) == (4, 2, Decimal("50.0"))
    with_, without = got.with_prereview, got.without_prereview
    assert (with_.cases, with_.finished, with_.visits, with_.accepted) == (2, 2, 2, 2)
    assert (with_.mean_trips, with_.mean_hours_to_accept) == (Decimal("1.00"), Decimal("0.8"))
    assert (without.cases, without.finished, without.visits, without.accepted) == (2, 1, 2, 1)
    assert (without.mean_trips, without.mean_hours_to_accept) == (Decimal("2.00"), Decimal("25.5"))

    # The street above the centre sees the same hall, plus the other one's filing.
    street = unit_prereview_figures(pt.hall.unit.parent, *WEEK)
    assert (street.submitted, street.cases) == (6, 4)


def test_an_empty_week_has_no_rates(pt):
    got = prereview_figures(pt.hall, *WEEK)
    assert (got.submitted, got.cases, got.pass_rate, got.share_prereviewed) == (0, 0, None, None)
    assert got.with_prereview.mean_trips is None
    assert got.without_prereview.mean_hours_to_accept is None
