"""The SLA worker: urges before deadlines, marks overdue, opens supervision — once each, even with
several workers, and one bad order does not stop the batch."""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders import actions
from hotline.orders.models import Action, Event, State, WorkOrder
from hotline.sla import watch, worker
from tests.concurrency import in_threads
from tests.conftest import at
from tests.orders.factory import order_in


def actions_of(order: WorkOrder) -> list[str]:
    return list(order.events.order_by("seq").values_list("action", flat=True))


@pytest.fixture
def dispatched_monday(district) -> WorkOrder:
    # Dispatched Monday 6 March 2023 10:00: sign for by Tue 10:00, reply by Mon 13 March 10:00.
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        return order_in(State.DISPATCHED, district)


def test_urges_once_before_the_sign_for_deadline(dispatched_monday):
    order = dispatched_monday
    assert worker.run_once(at("2023-03-06 10:30"))["urge_accept"] == 1  # within 24 h of Tue 10:00
    assert worker.run_once(at("2023-03-06 11:00"))["urge_accept"] == 0
    urges = Event.objects.filter(order=order, action=Action.URGE)
    assert urges.count() == 1 and urges.get().actor is None
    assert urges.get().payload == {"deadline": "accept"}


def test_urges_before_reply_deadline_and_again_after_an_extension(district, dispatched_monday):
    order = dispatched_monday
    with time_machine.travel(at("2023-03-06 11:00"), tick=False):
        actions.accept(order, district.una)
    assert worker.run_once(at("2023-03-10 09:00"))["urge_reply"] == 0  # 3 days early: not yet
    assert worker.run_once(at("2023-03-12 12:00"))["urge_reply"] == 1
    assert worker.run_once(at("2023-03-12 13:00"))["urge_reply"] == 0
    with time_machine.travel(at("2023-03-12 14:00"), tick=False):
        order.refresh_from_db()
        actions.request_extension(order, district.una, days=2, reason="等待维修配件")
        actions.approve_extension(order, district.dan)
    # The new deadline (Wed 15 March 10:00) gets its own reminder.
    assert worker.run_once(at("2023-03-14 12:00"))["urge_reply"] == 1
    assert (
        Event.objects.filter(order=order, action=Action.URGE, payload__deadline="reply").count()
        == 2
    )


def test_marks_overdue_and_opens_supervision_once(dispatched_monday):
    order = dispatched_monday
    counts = worker.run_once(at("2023-03-13 10:01"))
    assert counts["overdue"] == 1 and counts["supervise"] == 1
    order.refresh_from_db()
    assert order.overdue and order.supervision_due == at("2023-03-15 10:01")
    assert worker.run_once(at("2023-03-13 12:00")) == {
        "urge_accept": 0,
        "urge_reply": 0,
        "overdue": 0,
        "supervise": 0,
        "calendar": 0,
        "kb_upkeep_tasks": 0,
        "kb_review_urges": 0,
        "cases": 0,
        "hall_sweep": 0,
        "rating_follow_up_links": 0,
        "dispatch_retrain": 0,
    }
    assert actions_of(order)[-2:] == [Action.OVERDUE, Action.SUPERVISE]
    # The supervision lapses with the order still overdue: the worker escalates once more.
    assert worker.run_once(at("2023-03-15 11:00"))["supervise"] == 1


def test_a_replied_order_is_never_marked_overdue(district, dispatched_monday):
    order = dispatched_monday
    with time_machine.travel(at("2023-03-07 09:00"), tick=False):
        actions.accept(order, district.una)
        actions.reply(order, district.una, result="resolved", text="已修复")
    assert worker.run_once(at("2023-03-20 10:00"))["overdue"] == 0


def test_one_bad_order_does_not_stop_the_batch(district, monkeypatch, caplog):
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        bad = order_in(State.DISPATCHED, district)
        good = order_in(State.DISPATCHED, district)
    real = actions.mark_overdue

    def flaky(order, **kwargs):
        if order.pk == bad.pk:
            raise RuntimeError("corrupt row")
        return real(order, **kwargs)

    monkeypatch.setattr(actions, "mark_overdue", flaky)
    assert watch.mark_overdue(at("2023-03-14 10:00")) == 1
    assert WorkOrder.objects.get(pk=good.pk).overdue
    assert not WorkOrder.objects.get(pk=bad.pk).overdue
    assert f"worker failed on order {bad.number}" in caplog.text


def test_a_failing_step_does_not_stop_the_others(dispatched_monday, monkeypatch):
    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(watch, "STEPS", [("broken", broken), *watch.STEPS])
    counts = worker.run_once(at("2023-03-13 10:01"))
    assert counts["broken"] == -1 and counts["overdue"] == 1


def test_worker_command_once_prints_counts(dispatched_monday, capsys):
    from django.core.management import call_command

    with time_machine.travel(at("2023-03-13 10:01"), tick=False):
        call_command("worker", "--once")
    assert '"overdue": 1' in capsys.readouterr().out


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_double_up(district):
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        orders = [order_in(State.DISPATCHED, district) for _ in range(12)]
    results: list[dict] = []
    assert in_threads(lambda _i: results.append(worker.run_once(at("2023-03-13 10:01"))), 2) == []
    assert len(results) == 2
    assert sum(r["overdue"] for r in results) == 12
    assert sum(r["supervise"] for r in results) == 12
    for order in orders:
        acts = actions_of(order)
        assert acts.count(Action.OVERDUE) == 1 and acts.count(Action.SUPERVISE) == 1
        assert acts.count(Action.URGE) == 1  # the sign-for reminder, once
