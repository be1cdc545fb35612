"""A window's matter weights hold a lighter matter back by the service level at most (h5, M8).

Weights were strict tiers (actions.windows._tiered): a steady flow of the heavier matter held
the lighter one back without limit, which issue 17's queue rule must not allow ("no
starvation"). A ticket that has waited longer than the hall's service level now joins the
window's heaviest tier in its queue place; the board states the bound with the rule."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.hall import actions
from hotline.hall.actions import windows as window_actions
from tests.conftest import at

pytestmark = pytest.mark.django_db

TEN = at("2023-03-09 10:00")


def minutes(n: int) -> dt.datetime:
    return TEN + dt.timedelta(minutes=n)


def issue_light_then_a_flow_of_heavy(town):
    # Window 1 weighs 老年综合津贴 (B) 2 and 居住证 (A) 1; the service level is 20 minutes.
    light = actions.issue(town.hall, town.residence, now=minutes(0))
    heavy = [actions.issue(town.hall, town.allowance, now=minutes(n)) for n in (5, 15, 22)]
    return light, heavy


def test_a_light_ticket_past_the_service_level_is_called_before_newer_heavy_ones(town):
    assert town.hall.service_level_minutes == 20
    actions.sign_in(town.w1, town.wendy, now=minutes(1))
    light, heavy = issue_light_then_a_flow_of_heavy(town)
    called = actions.call_next(town.w1, town.wendy, now=minutes(25))
    assert called is not None and called.number == light.number
    # The desk's list is the same order.
    mine, _ = window_actions.call_order(town.w1, light.day, now=minutes(25))
    assert [t.number for t in mine] == [t.number for t in heavy]


def test_within_the_service_level_the_heavier_matter_still_goes_first(town):
    actions.sign_in(town.w1, town.wendy, now=minutes(1))
    light, heavy = issue_light_then_a_flow_of_heavy(town)
    mine, _ = window_actions.call_order(town.w1, light.day, now=minutes(19))
    assert [t.number for t in mine][:1] == [heavy[0].number]
    assert [t.number for t in mine][-1] == light.number  # 19 minutes: not yet past 20
    called = actions.call_next(town.w1, town.wendy, now=minutes(19))
    assert called is not None and called.number == heavy[0].number


def test_overdue_tickets_keep_their_queue_order_with_the_heavy_ones(town):
    actions.sign_in(town.w1, town.wendy, now=minutes(1))
    light, heavy = issue_light_then_a_flow_of_heavy(town)
    # At 10:30 the light ticket (30 min) and the first heavy one (25 min) are both overdue:
    # queue order among the top tier, so the light one (earlier) goes first, then heavy FIFO.
    mine, _ = window_actions.call_order(town.w1, light.day, now=minutes(30))
    assert [t.number for t in mine] == [light.number] + [t.number for t in heavy]


def test_the_board_states_the_bound(client, town):
    url = f"/hall/{town.hall.code}/board/"
    english = client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Anyone who has waited over 20 min is called with a window&#x27;s first matters." in (
        english.replace("'", "&#x27;")
    )
    chinese = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "优先群众先叫号" in chinese or "轮流" in chinese or "优先" in chinese
    assert "。等候超过20分钟的，与窗口优先办理的事项一起叫号。" in chinese
