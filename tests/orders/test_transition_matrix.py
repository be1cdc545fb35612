# ruff: noqa: E501 -- the expected table below is easier to read with one action per line
"""Every state × action × person: the legal ones work, every other one is refused and changes
nothing. The expected table below is written from product.md, not derived from the code."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from hotline.orders import actions
from hotline.orders.models import (
    CallbackOutcome,
    ContactWay,
    ReplyResult,
    Satisfaction,
    State,
    WorkOrder,
)
from hotline.orders.rules import ActionError
from tests.orders.factory import new_order, order_in

# action            who may (roles; "lead" = a handler of the lead unit; "holder" = of the unit
#                   holding the order or above it; "sub" = of the sub-unit it was assigned to;
#                   "co" = of a co-unit 协办: it comments, a note the lead unit is told of,
#                   until the order is closed, merged or cancelled)
EXPECTED = """
answer              operator dispatcher       registered
dispatch            dispatcher                registered
redispatch          dispatcher                dispatched accepted returned reopened
accept              holder                    dispatched
assign_inside       lead                      dispatched accepted reopened
hand_back           sub                       dispatched accepted reopened
return              lead                      dispatched accepted
approve_return      dispatcher                returned
reject_return       dispatcher                returned
first_contact       holder                    accepted reopened
request_extension   lead                      accepted reopened
approve_extension   dispatcher                accepted reopened
reject_extension    dispatcher                accepted reopened
reply               holder                    accepted reopened
approve_reply       dispatcher                replied
reject_reply        dispatcher                replied
callback            callback_agent            reviewed
callback_attempt    callback_agent            reviewed
reopen              dispatcher supervisor     reviewed closed
urge                dispatcher supervisor     dispatched accepted reopened returned replied
supervise           supervisor                dispatched accepted reopened
merge               operator dispatcher       registered dispatched accepted
cancel              dispatcher supervisor     registered dispatched accepted returned
comment             operator dispatcher callback_agent supervisor admin holder co   *
close               dispatcher supervisor callback_agent   reviewed
appeal              lead                      dispatched accepted returned replied reviewed reopened closed
approve_appeal      supervisor                dispatched accepted returned replied reviewed reopened closed
reject_appeal       supervisor                dispatched accepted returned replied reviewed reopened closed
"""

ROLES = {"operator", "dispatcher", "callback_agent", "supervisor", "leader", "admin"}
# Who each person is (see tests/conftest.py). Una handles the lead unit 江宁路街道; Nina sits in a
# neighbourhood committee below it: no authority over the street's own orders, but she holds
# those the street assigned to her 居委会 (二级派单). Victor is a bureau.
PEOPLE = {
    "olga": "operator",
    "dan": "dispatcher",
    "cathy": "callback_agent",
    "sam": "supervisor",
    "leo": "leader",
    "ada": "admin",
    "una": "lead",
    "una_nb": "below",
    "victor": "other_unit",
}


def _expected() -> dict[str, tuple[set[str], set[str]]]:
    table = {}
    for line in EXPECTED.strip().splitlines():
        action, *rest = line.split()
        who = {w for w in rest if w in ROLES | {"lead", "holder", "sub", "co", "*"}}
        states = {s for s in rest if s in set(State.values) | {"*"}}
        table[action] = (who, states)
    return table


def parts(person: str, assigned: bool, co: bool = False) -> set[str]:
    """What a person is to the order: Una leads (and holds, as the parent of any sub-unit);
    Nina holds it only when it was assigned to her 居委会; Victor's bureau is a co-unit when the
    dispatch named it (``co``)."""
    if co and person == "victor":
        return {"co"}
    if PEOPLE[person] == "lead":
        return {"lead", "holder"}
    if PEOPLE[person] == "below":
        return {"holder", "sub"} if assigned else {"below"}
    return {PEOPLE[person]}


def allowed(
    action: str,
    person: str,
    state: str,
    has_lead_unit: bool,
    assigned: bool = False,
    co: bool = False,
) -> bool:
    who, states = _expected()[action]
    mine = parts(person, assigned, co)
    if "*" in states:
        # Comments, in any state: the centre (leaders only read) and the unit holding the order
        # once the order has been dispatched to it; a co-unit until the order is closed, merged
        # or cancelled, which release it (session 28: it was let comment on a closed order).
        if "co" in mine and state in ("closed", "merged", "cancelled"):
            return False
        return bool(mine & who) and ("holder" not in mine or has_lead_unit)
    return state in states and bool(mine & who)


def _prepare_extension(d, order):  # a pending request is what a decision is about
    with contextlib.suppress(ActionError):
        actions.request_extension(order, d.una, days=3, reason="需协调物业")
    order.refresh_from_db()
    return {}


def _prepare_appeal(d, order):  # a decision needs an appeal waiting for it
    with contextlib.suppress(ActionError):
        actions.appeal(order, d.una, kpi="overdue", reason="系统故障导致超期")
    order.refresh_from_db()
    return {}


def _other_neighbourhood(d):
    from hotline.org.models import Unit, UnitKind

    unit, _ = Unit.objects.get_or_create(
        code="jnl-02",
        defaults={"name": "海防村居委会", "kind": UnitKind.NEIGHBOURHOOD, "parent": d.street},
    )
    return unit


ARGS: dict[str, Callable[[Any, WorkOrder], dict[str, Any]]] = {
    "answer": lambda d, o: {"text": "已答复。"},
    "dispatch": lambda d, o: {"lead_unit": d.street},
    "redispatch": lambda d, o: {"lead_unit": d.bureau, "reason": "职责调整"},
    "accept": lambda d, o: {},
    # Una reassigns an order her street gave to Nina's 居委会 to another one.
    "assign_inside": lambda d, o: {
        "unit": _other_neighbourhood(d) if o.assigned_unit_id else d.neighbourhood
    },
    "hand_back": lambda d, o: {"reason": "不属于本居委会辖区"},
    "return": lambda d, o: {"reason": "非本单位职责"},
    "approve_return": lambda d, o: {"lead_unit": d.bureau},
    "reject_return": lambda d, o: {"reason": "属地管理"},
    "first_contact": lambda d, o: {"way": ContactWay.PHONE},
    "request_extension": lambda d, o: {"days": 3, "reason": "需协调物业"},
    "approve_extension": lambda d, o: _prepare_extension(d, o),
    "reject_extension": lambda d, o: {**_prepare_extension(d, o), "reason": "时限充足"},
    "reply": lambda d, o: {"result": ReplyResult.RESOLVED, "text": "已处理。"},
    "approve_reply": lambda d, o: {},
    "reject_reply": lambda d, o: {"reason": "答复不完整"},
    "callback": lambda d, o: {"resolved": True, "satisfaction": Satisfaction.SATISFIED},
    "callback_attempt": lambda d, o: {"outcome": CallbackOutcome.NOT_REACHED},
    "reopen": lambda d, o: {"reason": "市民不满意"},
    "urge": lambda d, o: {"note": "请尽快办理"},
    "supervise": lambda d, o: {"working_days": 2},
    "merge": lambda d, o: {"parent": new_order(d)},
    "cancel": lambda d, o: {"reason": "无效来电"},
    "comment": lambda d, o: {"text": "已电话沟通"},
    "close": lambda d, o: {},
    "appeal": lambda d, o: {"kpi": "satisfaction", "reason": "市民诉求超出政策范围"},
    "approve_appeal": lambda d, o: _prepare_appeal(d, o),
    "reject_appeal": lambda d, o: {**_prepare_appeal(d, o), "reason": "理由不成立"},
}

FUNCTIONS = {name: getattr(actions, name) for name in ARGS if name != "return"}
#: States in which an order has been dispatched and can have been assigned inside.
DISPATCHED_STATES = [
    s.value
    for s in State
    if s not in (State.REGISTERED, State.ANSWERED, State.MERGED, State.CANCELLED)
]
FUNCTIONS["return"] = actions.request_return


def snapshot(order: WorkOrder) -> tuple:
    row = WorkOrder.objects.filter(pk=order.pk).values().get()
    events = list(order.events.values_list("seq", "action"))
    co = sorted(order.co_units.values_list("pk", flat=True))
    return row, events, co


def test_the_table_covers_every_action():
    assert set(_expected()) == set(ARGS)


@pytest.mark.parametrize("state", [s.value for s in State])
def test_every_action_by_every_person_in_every_state(district, state):
    order = order_in(State(state), district)
    assert not _failures(district, order, state, assigned=False)


@pytest.mark.parametrize("state", DISPATCHED_STATES)
def test_every_action_on_an_order_assigned_inside_the_street(district, state):
    """The street assigned the order to Nina's 居委会: Nina signs for, contacts, replies and may
    hand it back; Una, above her, still may do all of that; returns, extensions and appeals stay
    with the street (the centre deals with the first-level unit)."""
    order = order_in(State(state), district, inside=district.neighbourhood)
    assert order.assigned_unit_id == district.neighbourhood.pk
    assert not _failures(district, order, state, assigned=True)


@pytest.mark.parametrize("state", DISPATCHED_STATES)
def test_every_action_on_an_order_with_a_co_unit(district, state):
    """Dan named Victor's 区民政局 as a co-unit (协办) with the dispatch: Victor reads the order and
    comments on it (the lead unit is told of his note), and takes no step of the lead unit's or
    the holder's; everyone else's authority is as without a co-unit (session 27, h9)."""
    order = order_in(State(state), district, co_units=(district.bureau,))
    assert list(order.co_units.all()) == [district.bureau]
    assert not _failures(district, order, state, assigned=False, co=True)


def _failures(district, order, state, *, assigned, co=False):
    failures = []
    for action, make_args in ARGS.items():
        for person in PEOPLE:
            actor = getattr(district, person)
            with transaction.atomic():
                subject = WorkOrder.objects.get(pk=order.pk)
                kwargs = make_args(district, subject)
                subject.refresh_from_db()
                before = snapshot(subject)
                try:
                    FUNCTIONS[action](subject, actor, **kwargs)
                    outcome, error = "done", None
                except ActionError as exc:
                    outcome, error = "refused", exc
                after = snapshot(subject)
                transaction.set_rollback(True)
            expected = allowed(action, person, state, order.lead_unit_id is not None, assigned, co)
            if expected and outcome != "done":
                failures.append(f"{action} by {person} in {state} refused: {error}")
            if not expected and outcome != "refused":
                failures.append(f"{action} by {person} in {state} was NOT refused")
            if outcome == "refused" and before != after:
                failures.append(f"{action} by {person} in {state} was refused but changed data")
            if outcome == "done" and before == after:
                failures.append(f"{action} by {person} in {state} succeeded but changed nothing")
    print("\n".join(failures))
    return failures


#: The centre's actions that send an order to a unit. Naming a sub-unit (a section of Victor's
#: bureau) is the same action for the table: the same people in the same states may; the order
#: goes to the bureau (the first-level unit the centre deals with) with the section assigned
#: inside it, by the same person, in the same transaction (二级派单, issue 16 item 1).
SENDING = ("dispatch", "redispatch", "approve_return")


@pytest.mark.parametrize("state", [s.value for s in State])
def test_the_centre_naming_a_sub_unit_by_every_person_in_every_state(district, state):
    from hotline.org.models import Unit, UnitKind

    section = Unit.objects.create(
        code="mzj-sz", name="区民政局社会救助科", kind=UnitKind.OTHER, parent=district.bureau
    )
    order = order_in(State(state), district)
    failures = []
    for action in SENDING:
        for person in PEOPLE:
            actor = getattr(district, person)
            with transaction.atomic():
                subject = WorkOrder.objects.get(pk=order.pk)
                kwargs = {**ARGS[action](district, subject), "lead_unit": section}
                before = snapshot(subject)
                try:
                    FUNCTIONS[action](subject, actor, **kwargs)
                    outcome, error = "done", None
                except ActionError as exc:
                    outcome, error = "refused", exc
                after = snapshot(subject)
                subject.refresh_from_db()
                sent = (subject.lead_unit_id, subject.assigned_unit_id)
                last = list(subject.events.order_by("-seq").values_list("action", "actor")[:2])
                transaction.set_rollback(True)
            expected = allowed(action, person, state, order.lead_unit_id is not None)
            if expected and outcome != "done":
                failures.append(f"{action} by {person} in {state} refused: {error}")
            if not expected and outcome != "refused":
                failures.append(f"{action} by {person} in {state} was NOT refused")
            if outcome == "refused" and before != after:
                failures.append(f"{action} by {person} in {state} was refused but changed data")
            if outcome == "done" and sent != (district.bureau.pk, section.pk):
                failures.append(f"{action} by {person} in {state} sent it to {sent}")
            if outcome == "done" and last != [("assign_inside", actor.pk), (action, actor.pk)]:
                failures.append(f"{action} by {person} in {state} recorded {last}")
    print("\n".join(failures))
    assert not failures


@pytest.mark.parametrize("state", [s.value for s in State])
def test_the_centre_naming_a_sub_unit_as_a_co_unit_is_refused_to_everyone(district, state):
    """Co-units are first-level units (review r1 M4): the order has one assignment inside, the
    lead unit's, so a 居委会 or a bureau's section named as a co-unit is refused — whoever sends
    it, in whatever state, under its own first-level unit (the lead) or another — and nothing
    changes."""
    from hotline.org.models import Unit, UnitKind

    section = Unit.objects.create(
        code="mzj-sz", name="区民政局社会救助科", kind=UnitKind.OTHER, parent=district.bureau
    )
    order = order_in(State(state), district)
    failures = []
    for action in SENDING:
        for lead, co in ((district.street, section), (district.bureau, section)):
            for person in PEOPLE:
                actor = getattr(district, person)
                with transaction.atomic():
                    subject = WorkOrder.objects.get(pk=order.pk)
                    kwargs = {**ARGS[action](district, subject), "lead_unit": lead}
                    kwargs["co_units"] = [co]
                    before = snapshot(subject)
                    try:
                        FUNCTIONS[action](subject, actor, **kwargs)
                        outcome = "done"
                    except ActionError:
                        outcome = "refused"
                    after = snapshot(subject)
                    transaction.set_rollback(True)
                what = f"{action} to {lead.code} with co-unit {co.code} by {person} in {state}"
                if outcome != "refused":
                    failures.append(f"{what} was NOT refused")
                if before != after:
                    failures.append(f"{what} changed data")
    print("\n".join(failures))
    assert not failures
