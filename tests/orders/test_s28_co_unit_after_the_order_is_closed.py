"""Victor's 区民政局 co-handled (协办) an order Una's street led; now it is closed (s28, h6).

Closing the order released its co-units: they were told it no longer needs them. Yet Victor
could still write notes on it, each one a notice to the street about an archived order. The lead
unit's part goes on after closing (it appeals its KPIs there, and comments); a co-unit's ends:
its note is refused in words, nothing changes, and its order page offers no comment form.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from hotline.orders import actions
from hotline.orders.models import State
from hotline.orders.rules import InvalidTransition, allowed_actions
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def test_a_co_unit_may_not_comment_on_a_closed_order(district):
    d = district
    order = order_in(State.CLOSED, d, co_units=(d.bureau,))
    events = order.events.count()

    with pytest.raises(InvalidTransition) as refused:
        actions.comment(order, d.victor, text="低保户名单已核对。")

    assert refused.value.message == "This order is Closed: its co-units' part in it has ended."
    order.refresh_from_db()
    assert order.events.count() == events
    assert "comment" not in allowed_actions(order, d.victor)


def test_the_co_unit_still_comments_while_the_centre_reviews_the_reply(district):
    d = district
    order = order_in(State.REPLIED, d, co_units=(d.bureau,))

    actions.comment(order, d.victor, text="低保户名单已核对。")

    assert order.events.order_by("-seq").first().action == "comment"


def test_the_lead_unit_still_comments_on_its_closed_order(district):
    d = district
    order = order_in(State.CLOSED, d, co_units=(d.bureau,))

    actions.comment(order, d.una, text="已向市民寄送书面答复。")

    assert order.events.order_by("-seq").first().action == "comment"


def test_the_co_units_page_of_a_closed_order_has_no_comment_form(client, district):
    d = district
    order = order_in(State.CLOSED, d, co_units=(d.bureau,))

    html = page(client, d.victor, reverse("order_detail", args=[order.number])).content.decode()

    assert order.number in html and "comment-form" not in html
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as refused:
        actions.comment(order, d.victor, text="低保户名单已核对。")
    assert refused.value.message == "工单已归档，协办单位的协办已结束。"
