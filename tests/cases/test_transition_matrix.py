"""Every case state × step × person: the legal ones work, every other one is refused and changes
nothing. The expected table is written from the brief (issue 18), not derived from the code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from hotline import clock
from hotline.cases import actions
from hotline.cases.actions._core import step
from hotline.cases.models import (
    Case,
    CaseState,
    Delivery,
    LineState,
    Outcome,
    ReceiptLine,
    TripCause,
)
from hotline.cases.rules import CaseError
from tests.cases.conftest import CaseTown, serve
from tests.conftest import at
from tests.hall.conftest import make_hall

# step                who may ("staff": the hall's clerks and manager)   from which states
EXPECTED = """
accept              staff     opened
refuse              staff     opened correction
request_correction  staff     opened accepted
start_special       staff     accepted
end_special         staff     special
conclude            staff     accepted
deliver             staff     concluded
receive             staff     opened correction accepted
promise             staff     opened
fulfil_promise      staff     opened correction accepted special concluded
ask_return          staff     opened accepted
visit               staff     opened correction accepted special concluded
urge                system    opened accepted
withdraw            staff     opened
rename              nobody    opened correction accepted special concluded
"""

# Wendy and Walt are clerks of the hall, Hugo its manager; Olivia clerks at another hall; Una
# handles a street's work orders; "system" is the worker.
PEOPLE = {
    "wendy": "staff",
    "walt": "staff",
    "hugo": "staff",
    "olivia": "other_hall",
    "una": "other_unit",
    "system": "system",
}


def _expected() -> dict[str, tuple[set[str], set[str]]]:
    table = {}
    for line in EXPECTED.strip().splitlines():
        name, who, *states = line.split()
        table[name] = ({who}, set(states))
    return table


def _line(case: Case, name: str) -> ReceiptLine:
    return case.submission.lines.get(name=name)


def _set_line(case: Case, name: str, state: str) -> None:
    # Test preparation, not a step: the line is put in the state the step is about.
    ReceiptLine.objects.filter(pk=_line(case, name).pk).update(state=state)


def _receive(case: Case, actor: Any) -> None:
    line = _line(case, "居民身份证")
    actions.receive(
        case.submission, actor, {line.pk: actions.Received(LineState.RECEIVED, "original", 3)}
    )


def _promise(case: Case, actor: Any) -> None:
    actions.promise(
        _line(case, "近期照片"),
        actor,
        text="三日内补交",
        due=clock.local_now().date() + dt.timedelta(days=3),
    )


STEPS: dict[str, tuple[Callable[[Case], None] | None, Callable[[Case, Any], Any]]] = {
    "accept": (None, lambda c, a: actions.accept(c, a)),
    "refuse": (None, lambda c, a: actions.refuse(c, a, reason="不符合申请条件")),
    "request_correction": (
        lambda c: _set_line(c, "近期照片", LineState.MISSING),
        lambda c, a: actions.request_correction(c.submission, a),
    ),
    "start_special": (None, lambda c, a: actions.start_special(c, a, reason="专家评审", days=5)),
    "end_special": (None, lambda c, a: actions.end_special(c, a)),
    "conclude": (None, lambda c, a: actions.conclude(c, a, outcome=Outcome.APPROVED)),
    "deliver": (None, lambda c, a: actions.deliver(c, a, method=Delivery.POST)),
    "receive": (None, _receive),
    "promise": (lambda c: _set_line(c, "近期照片", LineState.MISSING), _promise),
    "fulfil_promise": (
        lambda c: _set_line(c, "近期照片", LineState.PROMISED),
        lambda c, a: actions.fulfil_promise(_line(c, "近期照片"), a, form="original"),
    ),
    "ask_return": (
        lambda c: None,
        lambda c, a: actions.ask_return(c, a, cause=TripCause.SYSTEM_FAILURE),
    ),
    "visit": (None, lambda c, a: step(c, "visit", a, now=clock.now(), payload={"kind": "ticket"})),
    "urge": (None, lambda c, a: step(c, "urge", a, now=clock.now(), changes={"urge_level": 1})),
    # The rule itself; withdraw_for_transfer also refuses a case with materials (test_moved_ticket).
    "withdraw": (None, lambda c, a: step(c, "withdraw", a, now=clock.now())),
    # Taken only with the booking's rename (cases.actions.rename_applicant), never as a step.
    "rename": (None, lambda c, a: step(c, "rename", a, now=clock.now())),
}


def case_in(state: str, ct: CaseTown) -> Case:
    wendy = ct.town.wendy
    ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    if state == CaseState.WITHDRAWN:  # moved to another matter before anything was received
        actions.withdraw_for_transfer(ticket, wendy, ct.town.allowance)
        case.refresh_from_db()
        return case
    missing = "房屋租赁合同" if state == CaseState.CORRECTION else ""
    actions.receive(
        case.submission,
        wendy,
        {
            line.pk: actions.Received(LineState.RECEIVED, line.form, line.copies)
            for line in case.submission.lines.exclude(name=missing)
        },
    )
    if state == CaseState.CORRECTION:
        actions.request_correction(case.submission, wendy)
    if state == CaseState.REFUSED:
        actions.refuse(case, wendy, reason="不符合申请条件")
    if state in (CaseState.ACCEPTED, CaseState.SPECIAL, CaseState.CONCLUDED, CaseState.DELIVERED):
        actions.accept(case, wendy)
    if state == CaseState.SPECIAL:
        actions.start_special(case, wendy, reason="现场核查", days=3)
    if state in (CaseState.CONCLUDED, CaseState.DELIVERED):
        actions.conclude(case, wendy, outcome=Outcome.APPROVED)
    if state == CaseState.DELIVERED:
        actions.deliver(case, wendy, method=Delivery.ONLINE)
    case.refresh_from_db()
    assert case.state == state
    return case


def snapshot(case: Case) -> tuple:
    row = Case.objects.filter(pk=case.pk).values().get()
    events = list(case.events.values_list("seq", "action"))
    lines = list(case.submission.lines.values_list("name", "state", "received_count"))
    return row, events, lines


def test_the_table_covers_every_step():
    assert set(_expected()) == set(STEPS)


@pytest.mark.parametrize("state", CaseState.values)
def test_every_step_by_every_person_in_every_state(ct, district, state):
    other = make_hall(district, code="jaz")
    people = {
        "wendy": ct.town.wendy,
        "walt": ct.town.walt,
        "hugo": ct.town.hugo,
        "olivia": other.wendy,
        "una": district.una,
        "system": None,
    }
    case = case_in(state, ct)
    failures = []
    for name, (prepare, run) in STEPS.items():
        who, states = _expected()[name]
        for person, actor in people.items():
            with transaction.atomic():
                subject = Case.objects.select_related("hall", "matter", "submission").get(
                    pk=case.pk
                )
                if prepare:
                    prepare(subject)
                before = snapshot(subject)
                try:
                    run(subject, actor)
                    outcome, error = "done", None
                except CaseError as exc:
                    outcome, error = "refused", exc
                after = snapshot(subject)
                transaction.set_rollback(True)
            expected = state in states and PEOPLE[person] in who
            if expected and outcome != "done":
                failures.append(f"{name} by {person} in {state} refused: {error}")
            if not expected and outcome != "refused":
                failures.append(f"{name} by {person} in {state} was NOT refused")
            if outcome == "refused" and before != after:
                failures.append(f"{name} by {person} in {state} was refused but changed data")
            if outcome == "done" and before == after:
                failures.append(f"{name} by {person} in {state} succeeded but changed nothing")
    assert not failures, "\n".join(failures)
