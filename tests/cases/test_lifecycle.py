"""A case from the window to delivery: opened when service starts, 受理, 补正 with the clock
paused on the working-day calendar, 特别程序, 办结, 送达; every step an event."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from hotline.cases import actions
from hotline.cases.models import Case, CaseEvent, CaseState, Delivery, LineState, Outcome
from hotline.hall import actions as hall
from hotline.sla import worker
from tests.cases.conftest import finish, serve
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _receive_all(case, clerk, when, *, except_names=()):
    entries = {
        line.pk: actions.Received(LineState.RECEIVED, line.form, line.copies)
        for line in case.submission.lines.all()
        if line.name not in except_names
    }
    with time_machine.travel(when, tick=False):
        return actions.receive(case.submission, clerk, entries)


def test_starting_service_opens_a_numbered_case_with_the_matters_checklist(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    _ticket2, second = serve(ct, ct.residence, at("2025-03-04 10:30"))
    assert case.number == "DNL-2025-000001" and second.number == "DNL-2025-000002"
    assert case.state == CaseState.OPENED
    assert [line.name for line in case.submission.lines.all()] == [
        "居民身份证",
        "居住登记表",
        "房屋租赁合同",
        "近期照片",
    ]
    # Five working days from Tuesday 10:00: the next Tuesday 10:00.
    assert case.due_at == at("2025-03-11 10:00")
    assert list(case.events.values_list("action", flat=True)) == ["open", "visit"]


def test_a_clerk_accepts_only_when_every_material_is_in(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    wendy = ct.town.wendy
    _receive_all(case, wendy, at("2025-03-04 10:05"), except_names=["房屋租赁合同", "近期照片"])
    with pytest.raises(actions.InvalidInput, match="房屋租赁合同、近期照片"):
        actions.accept(case, wendy)
    case.refresh_from_db()
    assert case.state == CaseState.OPENED


def test_correction_pauses_the_clock_and_the_second_visit_resumes_it(ct):
    wendy = ct.town.wendy
    ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"), holder_key="k-zhang")
    _receive_all(case, wendy, at("2025-03-04 10:10"), except_names=["房屋租赁合同", "近期照片"])
    line = case.submission.lines.get(name="近期照片")
    with time_machine.travel(at("2025-03-04 10:20"), tick=False):
        actions.promise(line, wendy, text="三日内补交照片", due=dt.date(2025, 3, 7))
        actions.request_correction(case.submission, wendy, note="请补齐后再来")
    finish(ct, ticket, at("2025-03-04 10:25"))
    case.refresh_from_db()
    assert case.state == CaseState.CORRECTION
    notice = case.events.get(action="request_correction")
    assert notice.payload["items"] == [{"name": "房屋租赁合同", "note": ""}]

    # Thursday 14:00 the citizen is back with the contract: the same case, the clock runs again.
    ticket2, again = serve(ct, ct.residence, at("2025-03-06 14:00"), holder_key="k-zhang")
    assert again.pk == case.pk
    completed = _receive_all(case, wendy, at("2025-03-06 14:05"), except_names=["近期照片"])
    assert completed == [case.number]
    case.refresh_from_db()
    assert case.state == CaseState.OPENED
    # Paused Tue 10:20 → Thu 14:05 = 6h10 + 7h30 + 4h05 = 17h45 of working time, added to the
    # first promise (Tue 11 March 10:00): Tue 6h30, Wed 7h30, Thu 3h + 0h45 → Thu 13:45.
    assert case.due_at == at("2025-03-13 13:45")
    with time_machine.travel(at("2025-03-06 14:10"), tick=False):
        actions.accept(case, wendy)
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED
    assert ticket2.pk in case.events.filter(action="visit").values_list("ticket", flat=True)


def test_only_one_correction_notice_per_case(ct):
    wendy = ct.town.wendy
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    _receive_all(case, wendy, at("2025-03-04 10:05"), except_names=["房屋租赁合同"])
    actions.request_correction(case.submission, wendy)
    _receive_all(case, wendy, at("2025-03-05 10:05"))
    case.refresh_from_db()
    line = case.submission.lines.get(name="居住登记表")
    actions.receive(
        case.submission, wendy, {line.pk: actions.Received(LineState.MISSING, note="填写有误")}
    )
    with pytest.raises(actions.InvalidTransition, match=r"one-time correction notice|一次性"):
        actions.request_correction(case.submission, wendy)


def test_the_clock_skips_the_qingming_holiday(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-04-03 10:00"))
    # Fri 4 April is Qingming; the weekend follows: Mon 7 … Fri 11 are the five working days.
    assert case.due_at == at("2025-04-11 10:00")


def test_special_procedure_stops_the_clock_for_its_working_time(ct):
    wendy = ct.town.wendy
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    _receive_all(case, wendy, at("2025-03-04 10:05"))
    with time_machine.travel(at("2025-03-04 10:10"), tick=False):
        actions.accept(case, wendy)
    with time_machine.travel(at("2025-03-05 09:00"), tick=False):
        actions.start_special(case, wendy, reason="专家评审", days=10)
    with pytest.raises(actions.InvalidInput):
        actions.start_special(case, wendy, reason="", days=3)
    with time_machine.travel(at("2025-03-07 09:00"), tick=False):  # two full working days
        actions.end_special(case, wendy)
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED
    assert case.due_at == at("2025-03-13 10:00")  # Tue 11 + two working days


def test_conclude_and_deliver_by_post(ct):
    wendy = ct.town.wendy
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    _receive_all(case, wendy, at("2025-03-04 10:05"))
    actions.accept(case, wendy)
    with pytest.raises(actions.InvalidInput):
        actions.conclude(case, wendy, outcome=Outcome.REFUSED, reason=" ")
    actions.conclude(case, wendy, outcome=Outcome.APPROVED)
    actions.deliver(case, wendy, method=Delivery.POST)
    case.refresh_from_db()
    assert (case.state, case.outcome, case.delivery) == ("delivered", "approved", "post")
    assert list(case.events.values_list("action", flat=True)) == [
        "open",
        "visit",
        "receive",
        "accept",
        "conclude",
        "deliver",
    ]


def test_refusal_needs_a_reason_and_ends_the_case(ct):
    wendy = ct.town.wendy
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    with pytest.raises(actions.InvalidInput):
        actions.refuse(case, wendy, reason="  ")
    actions.refuse(case, wendy, reason="申请人不属于本市居住证申领对象")
    case.refresh_from_db()
    assert case.state == CaseState.REFUSED and case.reason.startswith("申请人")


def test_another_hall_and_other_roles_cannot_act(ct, district):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    with pytest.raises(actions.NotAllowed):
        actions.refuse(case, district.una, reason="x")
    actions.refuse(case, ct.town.hugo, reason="管理员代为决定")  # the manager may


def test_events_are_append_only(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    event = case.events.first()
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        CaseEvent.objects.filter(case=case).update(reason="x")
    with pytest.raises(ValidationError):
        event.delete()


def test_the_worker_urges_a_case_near_and_past_its_promise_once_each(ct):
    wendy = ct.town.wendy
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    _receive_all(case, wendy, at("2025-03-04 10:05"))
    actions.accept(case, wendy)
    assert actions.urge_due(at("2025-03-06 10:00")) == 0
    assert actions.urge_due(at("2025-03-10 11:00")) == 1  # due Tue 10:00: within a working day
    assert actions.urge_due(at("2025-03-10 12:00")) == 0
    assert worker.run_once(at("2025-03-11 10:30"))["cases"] == 1  # overdue
    assert actions.urge_due(at("2025-03-12 10:30")) == 0
    assert list(case.events.filter(action="urge").values_list("payload", flat=True)) == [
        {"level": 1},
        {"level": 2},
    ]


@pytest.mark.postgres_only
def test_the_database_refuses_case_event_updates_on_postgresql(ct):
    from django.db import DatabaseError, connection, transaction

    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    for sql in (
        "UPDATE cases_caseevent SET reason = 'x' WHERE case_id = %s",
        "DELETE FROM cases_caseevent WHERE case_id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [case.pk])
    assert case.events.count() == 2


def test_service_started_again_on_the_same_ticket_is_the_same_visit(ct):
    """Held while the citizen fetched a copy, then called back: one case, one visit."""
    wendy = ct.town.wendy
    ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    with time_machine.travel(at("2025-03-04 10:05"), tick=False):
        hall.hold(ticket, wendy, reason="去复印租赁合同")
    with time_machine.travel(at("2025-03-04 10:20"), tick=False):
        hall.call_back(ticket, wendy)
        hall.start(ticket, wendy)
    assert Case.objects.count() == 1
    assert list(case.events.values_list("action", flat=True)) == ["open", "visit"]
