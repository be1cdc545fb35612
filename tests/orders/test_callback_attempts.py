"""回访未接通: every failed call is recorded with its time; the order closes as unreachable after a
refusal or the configured number of failed calls, and never with a verdict nobody gave."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from hotline.orders import actions
from hotline.orders.actions.review import failed_callback_attempts
from hotline.orders.models import Action, CallbackOutcome, Satisfaction, State
from hotline.orders.rules import ORDER_ACTIONS, InvalidInput, allowed_actions
from tests.conftest import at
from tests.orders.factory import order_in


def _actions(order):
    return list(order.events.order_by("seq").values_list("action", "to_state", "payload"))


def test_cathy_cannot_reach_the_citizen_twice_then_the_third_failure_closes_the_order(district):
    order = order_in(State.REVIEWED, district)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        actions.callback_attempt(order, district.cathy, outcome=CallbackOutcome.NOT_REACHED)
    with time_machine.travel(at("2023-03-09 15:30"), tick=False):
        actions.callback_attempt(
            order, district.cathy, outcome=CallbackOutcome.NOT_REACHED, note="无人接听"
        )
    order.refresh_from_db()
    assert order.state == State.REVIEWED
    assert failed_callback_attempts(order) == 2
    attempts = order.events.filter(action=Action.CALLBACK_ATTEMPT).order_by("seq")
    assert [e.at for e in attempts] == [at("2023-03-09 10:00"), at("2023-03-09 15:30")]
    assert [e.payload for e in attempts] == [
        {"outcome": "not_reached", "attempt": 1},
        {"outcome": "not_reached", "attempt": 2},
    ]
    assert attempts[1].reason == "无人接听"

    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        actions.callback_attempt(order, district.cathy, outcome=CallbackOutcome.NOT_REACHED)
    order.refresh_from_db()
    assert order.state == State.CLOSED
    assert order.closed_at == at("2023-03-10 09:00")
    # No verdict was given, so none is recorded (the KPIs count the order as unreachable).
    assert order.satisfaction == "" and order.callback_resolved is None
    assert _actions(order)[-2:] == [
        ("callback_attempt", "reviewed", {"outcome": "not_reached", "attempt": 3}),
        ("close_unreachable", "closed", {"attempts": 3, "outcome": "not_reached"}),
    ]


def test_a_refusal_closes_at_once(district):
    order = order_in(State.REVIEWED, district)
    actions.callback_attempt(order, district.cathy, outcome=CallbackOutcome.REFUSED, note="拒访")
    order.refresh_from_db()
    assert order.state == State.CLOSED
    assert _actions(order)[-2:] == [
        ("callback_attempt", "reviewed", {"outcome": "refused", "attempt": 1}),
        ("close_unreachable", "closed", {"attempts": 1, "outcome": "refused"}),
    ]


@override_settings(CALLBACK_MAX_ATTEMPTS=1)
def test_the_number_of_attempts_is_a_setting(district):
    order = order_in(State.REVIEWED, district)
    actions.callback_attempt(order, district.cathy, outcome=CallbackOutcome.NOT_REACHED)
    order.refresh_from_db()
    assert order.state == State.CLOSED


def test_a_reached_callback_after_a_failed_call_is_the_ordinary_callback(district):
    order = order_in(State.REVIEWED, district)
    actions.callback_attempt(order, district.cathy, outcome=CallbackOutcome.NOT_REACHED)
    actions.callback(
        order, district.cathy, resolved=True, satisfaction=Satisfaction.BASICALLY_SATISFIED
    )
    order.refresh_from_db()
    assert order.state == State.CLOSED
    assert [a for a, _, _ in _actions(order)[-2:]] == ["callback_attempt", "callback"]


def test_attempts_count_again_after_a_reopened_order_is_reviewed_anew(district):
    order = order_in(State.REVIEWED, district)
    actions.callback_attempt(order, district.cathy, outcome=CallbackOutcome.NOT_REACHED)
    actions.callback_attempt(order, district.cathy, outcome=CallbackOutcome.NOT_REACHED)
    actions.reopen(order, district.sam, reason="市民来电反映仍未解决")
    actions.reply(order, district.una, result="resolved", text="已再次修复。")
    actions.approve_reply(order, district.dan)
    assert failed_callback_attempts(order) == 0
    actions.callback_attempt(order, district.cathy, outcome=CallbackOutcome.NOT_REACHED)
    order.refresh_from_db()
    assert order.state == State.REVIEWED


def test_an_unknown_outcome_is_refused_and_changes_nothing(district):
    order = order_in(State.REVIEWED, district)
    with pytest.raises(InvalidInput) as refused:
        actions.callback_attempt(order, district.cathy, outcome="reached")
    assert refused.value.field == "outcome"
    order.refresh_from_db()
    assert order.events.filter(action=Action.CALLBACK_ATTEMPT).count() == 0


def test_closing_as_unreachable_is_never_offered_on_its_own(district):
    order = order_in(State.REVIEWED, district)
    assert Action.CLOSE_UNREACHABLE not in ORDER_ACTIONS
    offered = allowed_actions(order, district.cathy)
    assert Action.CALLBACK_ATTEMPT in offered and Action.CLOSE_UNREACHABLE not in offered
