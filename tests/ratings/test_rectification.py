"""A 差评 becomes a 12345 work order through the orders' own intake and dispatch, at the hall's
service centre, with first contact in 1 working day and rectification in 15; once it is closed
the citizen's one follow-up rating (追评) ends the loop."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from hotline.orders import actions as orders
from hotline.orders.models import Action, Channel, Kind, State, WorkOrder
from hotline.orders.rules import visible_orders
from hotline.org.models import Category
from hotline.ratings import actions
from hotline.ratings.models import Channel as RatingChannel
from hotline.ratings.models import Level, RatingState
from hotline.sla.models import DeadlinePolicy
from tests.conftest import at
from tests.ratings.conftest import enrolled_pad

pytestmark = pytest.mark.django_db


def _bad(town, when="2023-03-09 10:00", rated="2023-03-09 10:02"):
    ticket = town.serve(when)
    with time_machine.travel(at(rated), tick=False):
        rating = actions.rate(
            ticket,
            None,
            level=Level.DISSATISFIED,
            channel=RatingChannel.PAD,
            pad=enrolled_pad(town, town.hall.w1),
            reasons=["waiting", "materials"],
            comment="窗口要求提供清单以外的材料",
            phone="139 1234 5678",
        )
    return ticket, rating


def test_a_bad_rating_opens_a_dispatched_order_at_the_service_centre(town):
    ticket, rating = _bad(town)
    order = rating.order
    assert rating.state == RatingState.RECTIFYING
    # The hall's service centre sits under 江宁路街道: the centre deals with the street (the
    # first-level unit), which is assigned its service centre in the same step (二级派单).
    hall_unit = town.hall.hall.unit
    assert order.state == State.DISPATCHED
    assert (order.lead_unit, order.assigned_unit) == (hall_unit.first_level(), hall_unit)
    assert order.lead_unit == town.hall.district.street
    assert order.kind == Kind.COMPLAINT and order.channel == Channel.OTHER
    assert order.citizen_phone == "13912345678"
    assert order.category.code == "zwfw-bszn-hczg"
    assert ticket.number in order.title and ticket.number in order.description
    assert "清单以外" in order.description
    # Registered, dispatched and assigned by the system through the real actions: three events.
    assert list(order.events.values_list("action", "actor")) == [
        (Action.REGISTER, None),
        (Action.DISPATCH, None),
        (Action.ASSIGN_INSIDE, None),
    ]
    # Contact the citizen within 1 working day, rectify within 15 (Thu 9 March 2023 10:02).
    assert order.first_contact_due == at("2023-03-10 10:02")
    assert order.reply_due == at("2023-03-30 10:02")
    # Rita (the centre's unit handler) sees it in her inbox, and so does Una of 江宁路街道 the
    # centre belongs to; Victor (区民政局) does not.
    assert visible_orders(town.rita).filter(pk=order.pk).exists()
    assert visible_orders(town.hall.district.una).filter(pk=order.pk).exists()
    assert not visible_orders(town.hall.district.victor).filter(pk=order.pk).exists()


def test_good_ratings_open_no_order(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        actions.rate(ticket, None, level=Level.BASICALLY_SATISFIED, channel=RatingChannel.QR)
    assert not WorkOrder.objects.exists()


@override_settings(RATING_CONTACT_DAYS=2, RATING_RECTIFY_DAYS=5)
def test_the_deadlines_follow_the_settings(town):
    _ticket, rating = _bad(town)
    assert rating.order.first_contact_due == at("2023-03-13 10:02")
    assert rating.order.reply_due == at("2023-03-16 10:02")
    rule = DeadlinePolicy.objects.get(code="hall-rectify").rule_for("normal")
    assert (rule.first_contact, rule.reply) == (2, 5)


def test_an_existing_rectification_category_is_used(town):
    policy = actions.rectification_category().deadline_policy
    top = Category.objects.create(code="zwfw2", name="政务服务")
    Category.objects.filter(code="zwfw-bszn-hczg").delete()
    mid = Category.objects.create(code="zwfw2-bszn", name="政务办事", parent=top)
    leaf = Category.objects.create(
        code="zwfw-bszn-hczg", name="差评整改", parent=mid, deadline_policy=policy
    )
    _ticket, rating = _bad(town)
    assert rating.order.category == leaf


def _close(order: WorkOrder, town, day="2023-03-13") -> None:
    d = town.hall.district
    with time_machine.travel(at(f"{day} 09:00"), tick=False):
        orders.accept(order, town.rita)
        orders.first_contact(order, town.rita, way="phone", note="已致电道歉，说明材料清单")
        orders.reply(order, town.rita, result="resolved", text="已对窗口人员进行培训并更新清单")
        orders.approve_reply(order, d.dan)
        if order.citizen_phone:
            orders.callback(order, d.cathy, resolved=True, satisfaction="satisfied")
        else:  # no number to call (rules.no_number_to_call): archived saying how she was told
            orders.close(order, d.cathy, note="群众再次来厅时当面告知整改结果")
    order.refresh_from_db()
    assert order.state == State.CLOSED


def test_the_follow_up_rating_closes_the_loop_once_after_the_order_closes(town):
    _ticket, rating = _bad(town)
    too_early = pytest.raises(actions.InvalidTransition)
    with time_machine.travel(at("2023-03-10 09:00"), tick=False), too_early:
        actions.follow_up(rating, None, level=Level.SATISFIED)
    _close(rating.order, town)
    rating.refresh_from_db()
    with time_machine.travel(at("2023-03-14 09:00"), tick=False):
        with pytest.raises(actions.NotAllowed):
            actions.follow_up(rating, town.hall.hugo, level=Level.VERY_SATISFIED)
        actions.follow_up(rating, None, level=Level.SATISFIED, comment="整改及时")
        with pytest.raises(actions.InvalidTransition):
            actions.follow_up(rating, None, level=Level.VERY_SATISFIED)
    rating.refresh_from_db()
    assert rating.state == RatingState.FOLLOWED_UP
    assert rating.follow_up_level == Level.SATISFIED and rating.follow_up_comment == "整改及时"
    assert list(rating.events.values_list("action", flat=True)) == [
        "rate",
        "rectify",
        "follow_up",
    ]


def test_no_follow_up_long_after_the_order_closed(town):
    _ticket, rating = _bad(town)
    _close(rating.order, town)
    rating.refresh_from_db()
    too_late = pytest.raises(actions.InvalidTransition)
    with time_machine.travel(at("2023-04-20 09:00"), tick=False), too_late:
        actions.follow_up(rating, None, level=Level.SATISFIED)
