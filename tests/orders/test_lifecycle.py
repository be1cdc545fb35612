"""The lifecycle as the business tells it: numbers, deadlines, extensions, returns, callbacks,
merges, visibility, masking, and the event trail."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import override_settings

from hotline.orders import actions
from hotline.orders.models import (
    Action,
    ContactWay,
    Event,
    ReplyResult,
    Satisfaction,
    State,
    WorkOrder,
    mask_phone,
)
from hotline.orders.rules import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    allowed_actions,
    can_view,
    visible_orders,
)
from tests.conftest import at
from tests.orders.factory import new_order, order_in


def test_order_numbers_count_per_local_day(district):
    with time_machine.travel(at("2023-03-09 23:50"), tick=False):
        first = new_order(district)
        second = new_order(district)
    with time_machine.travel(at("2023-03-10 00:05"), tick=False):
        third = new_order(district)
    assert (first.number, second.number, third.number) == (
        "20230309-000001",
        "20230309-000002",
        "20230310-000001",
    )


def test_register_runs_within_in_its_transaction(district):
    seen = []
    order = new_order(district, within=lambda o: seen.append(Event.objects.filter(order=o).count()))
    assert seen == [1] and order.events.count() == 1

    def fail(order):
        raise RuntimeError("the phone-view record could not be written")

    with pytest.raises(RuntimeError), transaction.atomic():  # the test's own transaction lives on
        new_order(district, within=fail)
    assert WorkOrder.objects.count() == 1 and Event.objects.count() == 1


def test_register_validates_input_and_saves_nothing_on_error(district):
    with pytest.raises(InvalidInput) as excinfo:
        actions.register(district.olga, title="", description="x")
    assert excinfo.value.field == "title"
    with pytest.raises(InvalidInput):
        actions.register(district.olga, title="t", description="d", citizen_phone="call me")
    with pytest.raises(InvalidInput):
        actions.register(district.olga, title="t", description="d", urgency="whenever")
    assert WorkOrder.objects.count() == 0


def test_unit_handler_cannot_register(district):
    with pytest.raises(NotAllowed):
        actions.register(district.una, title="t", description="d")


def test_dispatch_sets_working_day_deadlines_across_national_day(district):
    with time_machine.travel(at("2023-09-28 15:00"), tick=False):
        order = new_order(district)
        actions.dispatch(order, district.dan, lead_unit=district.street)
    order.refresh_from_db()
    # Policy "standard", normal urgency: accept 1, first contact 1, reply 5 working days.
    # 29 Sep - 6 Oct are holidays; 7 and 8 October are make-up working days.
    assert order.accept_due == at("2023-10-07 15:00")
    assert order.reply_due == at("2023-10-11 15:00")  # 7, 8, 9, 10, 11 October
    assert order.return_due == at("2023-10-08 15:00")


def test_urgent_orders_count_wall_clock_hours(district):
    with time_machine.travel(at("2023-10-01 08:00"), tick=False):
        order = new_order(district, urgency="urgent")
        actions.dispatch(order, district.dan, lead_unit=district.street)
    order.refresh_from_db()
    assert order.accept_due == at("2023-10-01 10:00")
    assert order.reply_due == at("2023-10-02 08:00")


def test_an_approved_extension_moves_the_reply_deadline_and_on_time_follows_it(district):
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        order = new_order(district)
        actions.dispatch(order, district.dan, lead_unit=district.street)
        actions.accept(order, district.una)
    assert order.reply_due == at("2023-03-13 10:00")
    with time_machine.travel(at("2023-03-10 10:00"), tick=False):
        actions.request_extension(order, district.una, days=3, reason="需要协调物业公司")
        actions.approve_extension(order, district.dan)
    assert order.reply_due == at("2023-03-16 10:00")
    assert order.extension_days is None
    with time_machine.travel(at("2023-03-15 16:00"), tick=False):
        event = actions.reply(order, district.una, result=ReplyResult.RESOLVED, text="已修复")
    assert event.payload["on_time"] is True


def test_extension_must_be_asked_before_the_deadline_and_only_once(district):
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        order = order_in(State.ACCEPTED, district)
        actions.request_extension(order, district.una, days=2, reason="等待检测报告")
        with pytest.raises(InvalidInput, match="already waiting"):
            actions.request_extension(order, district.una, days=2, reason="再等等")
        actions.reject_extension(order, district.dan, reason="时限足够")
    with time_machine.travel(at("2023-03-20 10:00"), tick=False), pytest.raises(InvalidInput):
        actions.request_extension(order, district.una, days=2, reason="太晚了")
    with pytest.raises(InvalidInput):
        actions.request_extension(order, district.una, days=0, reason="零天")


def test_return_is_refused_after_the_return_window(district):
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        order = order_in(State.DISPATCHED, district)
    with (
        time_machine.travel(at("2023-03-09 10:00"), tick=False),
        pytest.raises(InvalidInput, match="return window"),
    ):
        actions.request_return(order, district.una, reason="不归我们管")
    assert WorkOrder.objects.get(pk=order.pk).state == State.DISPATCHED


def test_approved_return_redispatches_with_fresh_deadlines(district):
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        order = order_in(State.ACCEPTED, district)
        actions.request_return(order, district.una, reason="属民政局职责")
    with time_machine.travel(at("2023-03-07 10:00"), tick=False):
        actions.approve_return(order, district.dan, lead_unit=district.bureau)
    order.refresh_from_db()
    assert order.state == State.DISPATCHED
    assert order.lead_unit == district.bureau
    assert order.accepted_at is None
    assert order.reply_due == at("2023-03-14 10:00")
    event = order.events.last()
    assert event.payload["returned_by"] == "jnl" and event.unit == district.bureau


def test_rejected_return_goes_back_to_where_it_came_from(district):
    order = order_in(State.ACCEPTED, district)
    actions.request_return(order, district.una, reason="不是我们的")
    actions.reject_return(order, district.dan, reason="属地管理，请街道办理")
    assert WorkOrder.objects.get(pk=order.pk).state == State.ACCEPTED


def test_first_contact_time_is_recorded_once_and_must_be_plausible(district):
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        order = order_in(State.ACCEPTED, district)
    with time_machine.travel(at("2023-03-06 15:00"), tick=False):
        with pytest.raises(InvalidInput):
            actions.first_contact(
                order, district.una, way=ContactWay.PHONE, contacted_at=at("2023-03-06 16:00")
            )
        actions.first_contact(
            order, district.una, way=ContactWay.VISIT, contacted_at=at("2023-03-06 14:00")
        )
        actions.first_contact(order, district.una, way=ContactWay.PHONE)
    order.refresh_from_db()
    assert order.first_contact_at == at("2023-03-06 14:00")
    assert order.state == State.ACCEPTED
    assert order.events.filter(action=Action.FIRST_CONTACT).count() == 2


def test_satisfied_callback_closes(district):
    order = order_in(State.REVIEWED, district)
    actions.callback(
        order, district.cathy, resolved=True, satisfaction=Satisfaction.BASICALLY_SATISFIED
    )
    order.refresh_from_db()
    assert order.state == State.CLOSED and order.closed_at is not None


def test_dissatisfied_callback_waits_for_a_decision_by_default(district):
    order = order_in(State.REVIEWED, district)
    actions.callback(order, district.cathy, resolved=False, satisfaction=Satisfaction.DISSATISFIED)
    assert order.state == State.REVIEWED
    assert {Action.REOPEN, Action.CLOSE} <= set(allowed_actions(order, district.sam))


@override_settings(CALLBACK_DISSATISFIED="reopen")
def test_dissatisfied_callback_reopens_under_the_reopen_rule(district):
    order = order_in(State.REVIEWED, district)
    actions.callback(order, district.cathy, resolved=False, satisfaction=Satisfaction.DISSATISFIED)
    order.refresh_from_db()
    assert order.state == State.REOPENED and order.reopen_count == 1
    assert order.reply_due is not None and order.satisfaction == Satisfaction.DISSATISFIED


def test_merge_links_the_duplicate_to_its_parent(district):
    parent = new_order(district)
    child = new_order(district)
    actions.merge(child, district.olga, parent=parent, reason="同一路灯")
    child.refresh_from_db()
    assert child.state == State.MERGED and child.parent == parent
    assert list(parent.duplicates.all()) == [child]
    grandchild = new_order(district)
    with pytest.raises(InvalidInput, match="Merge into"):
        actions.merge(grandchild, district.olga, parent=child)
    with pytest.raises(InvalidInput):
        actions.merge(parent, district.olga, parent=parent)


def test_dispatch_refuses_the_hotline_centre_and_inactive_units(district):
    order = new_order(district)
    with pytest.raises(InvalidInput):
        actions.dispatch(order, district.dan, lead_unit=district.centre)
    district.bureau.active = False
    district.bureau.save()
    with pytest.raises(InvalidInput):
        actions.dispatch(order, district.dan, lead_unit=district.bureau)
    with pytest.raises(InvalidInput, match="co-unit"):
        actions.dispatch(order, district.dan, lead_unit=district.street, co_units=[district.street])
    assert order.events.count() == 1


def test_co_units_see_the_order_but_only_the_lead_unit_acts(district):
    order = new_order(district)
    actions.dispatch(order, district.dan, lead_unit=district.street, co_units=[district.bureau])
    assert can_view(district.victor, order)
    assert allowed_actions(order, district.victor) == [Action.COMMENT]
    with pytest.raises(NotAllowed):
        actions.accept(order, district.victor)


def test_unit_cannot_see_other_units_orders(district):
    mine = order_in(State.DISPATCHED, district)
    theirs = new_order(district)
    actions.dispatch(theirs, district.dan, lead_unit=district.bureau)
    assert list(visible_orders(district.una)) == [mine]
    assert list(visible_orders(district.victor)) == [theirs]
    assert not can_view(district.victor, mine)
    # The street sees what its neighbourhood committees handle; not the other way round.
    below = new_order(district)
    actions.dispatch(below, district.dan, lead_unit=district.neighbourhood)
    assert can_view(district.una, below) and not can_view(district.una_nb, mine)


def test_phone_is_masked_like_138_stars_5678():
    assert mask_phone("13812345678") == "*******5678"
    assert mask_phone("021-62345678") == "***-****5678"


def test_events_tell_the_whole_story_and_cannot_be_changed(district):
    order = order_in(State.CLOSED, district)
    story = list(order.events.values_list("action", "from_state", "to_state"))
    assert story == [
        ("register", "", "registered"),
        ("dispatch", "registered", "dispatched"),
        ("accept", "dispatched", "accepted"),
        ("first_contact", "accepted", "accepted"),
        ("reply", "accepted", "replied"),
        ("approve_reply", "replied", "reviewed"),
        ("callback", "reviewed", "closed"),
    ]
    event = order.events.first()
    event.reason = "tampered"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        Event.objects.filter(order=order).update(reason="tampered")
    with pytest.raises(ValidationError):
        Event.objects.filter(order=order).delete()
    assert not Event.objects.filter(reason="tampered").exists()


@pytest.mark.postgres_only
def test_database_refuses_event_updates_on_postgresql(district):
    from django.db import DatabaseError, transaction

    order = order_in(State.DISPATCHED, district)
    for sql in (
        "UPDATE orders_event SET reason = 'x' WHERE order_id = %s",
        "DELETE FROM orders_event WHERE order_id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [order.pk])
    assert order.events.count() == 2


def test_a_stale_copy_of_the_order_gets_a_conflict_and_changes_nothing(district):
    order = order_in(State.DISPATCHED, district)
    stale = WorkOrder.objects.get(pk=order.pk)
    actions.accept(order, district.una)
    with pytest.raises(Conflict):
        actions.request_return(stale, district.una, reason="晚了一步")
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.state == State.ACCEPTED and fresh.events.count() == 3


def test_expected_version_from_a_form_guards_against_lost_updates(district):
    order = order_in(State.REPLIED, district)
    seen = order.version
    actions.comment(order, district.sam, text="请审核")
    with pytest.raises(Conflict):
        actions.approve_reply(order, district.dan, expected_version=seen)
    assert WorkOrder.objects.get(pk=order.pk).state == State.REPLIED


def test_wrong_state_error_names_the_action_and_state(district):
    order = new_order(district)
    with pytest.raises(InvalidTransition, match="Registered"):
        actions.approve_reply(order, district.dan)


def test_redispatch_clears_the_previous_units_first_contact(district):
    order = order_in(State.ACCEPTED, district)
    actions.first_contact(order, district.una, way=ContactWay.PHONE)
    actions.request_extension(order, district.una, days=2, reason="等物业回复")
    event = actions.request_return(order, district.una, reason="属民政局职责")
    assert event.payload == {"extension_withdrawn": 2}
    actions.approve_return(order, district.dan, lead_unit=district.bureau)
    order.refresh_from_db()
    assert order.first_contact_at is None and order.extension_days is None
    actions.accept(order, district.victor)
    actions.first_contact(order, district.victor, way=ContactWay.VISIT)
    order.refresh_from_db()
    assert order.first_contact_at is not None
