"""What a clerk does at the window: sign in, call, recall, no-show, reactivate, hold, transfer,
serve, pause. Every step is a ticket or window event."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.models import Priority, TicketEvent, TicketState, WindowEvent, WindowState
from hotline.hall.rules import HallError
from hotline.matters.models import Matter
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_wendy_signs_in_calls_serves_and_finishes(town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        ticket = actions.issue(town.hall, town.residence)
        actions.sign_in(town.w1, town.wendy)
        called = actions.call_next(town.w1, town.wendy)
    assert called is not None and called.pk == ticket.pk and called.state == TicketState.CALLED
    with time_machine.travel(at("2023-03-09 09:02"), tick=False):
        actions.start(called, town.wendy)
    with time_machine.travel(at("2023-03-09 09:12"), tick=False):
        actions.finish(called, town.wendy, matters_done=[town.residence, town.allowance])
    steps = list(TicketEvent.objects.filter(ticket=ticket).values_list("action", "window__number"))
    assert steps == [("issue", None), ("call", 1), ("start", 1), ("finish", 1)]
    assert TicketEvent.objects.get(ticket=ticket, action="finish").payload == {
        "matters": ["jzz", "lnjt"]
    }
    assert list(WindowEvent.objects.values_list("action", flat=True)) == ["sign_in", "open"]


def test_a_window_calls_its_heaviest_matter_first(town):
    actions.issue(town.hall, town.residence)
    allowance = actions.issue(town.hall, town.allowance)
    actions.sign_in(town.w1, town.wendy)  # window 1 weighs 老年综合津贴 2, 居住证 1
    assert actions.call_next(town.w1, town.wendy).pk == allowance.pk


def test_a_window_only_calls_matters_it_serves(town):
    actions.issue(town.hall, town.allowance)
    actions.sign_in(town.w2, town.walt)  # 居住证 only
    assert actions.call_next(town.w2, town.walt) is None


def test_the_interleave_rule_is_read_from_recorded_calls(town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=True):
        regular = [actions.issue(town.hall, town.residence) for _ in range(3)]
        elderly = [
            actions.issue(town.hall, town.residence, priority=Priority.ELDERLY) for _ in range(3)
        ]
        actions.sign_in(town.w2, town.walt)
        called = []
        for _ in range(6):
            ticket = actions.call_next(town.w2, town.walt)
            called.append(ticket.pk)
            actions.start(ticket, town.walt)
            actions.finish(ticket, town.walt)
    e, r = [t.pk for t in elderly], [t.pk for t in regular]
    assert called == [e[0], e[1], r[0], e[2], r[1], r[2]]


def test_one_ticket_at_a_time_and_only_at_an_open_window(town):
    actions.issue(town.hall, town.residence)
    actions.issue(town.hall, town.residence)
    with pytest.raises(actions.NotAllowed):
        actions.call_next(town.w2, town.walt)  # not signed in
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    with pytest.raises(actions.InvalidTransition):
        actions.call_next(town.w2, town.walt)
    actions.set_state(town.w1, town.hugo, WindowState.CLOSED)
    with pytest.raises(actions.InvalidInput):
        actions.set_state(town.w2, town.walt, WindowState.PAUSED)  # no reason
    with pytest.raises(actions.NotAllowed):
        actions.sign_in(town.w1, town.district.una)  # not this hall's staff


def test_recalls_are_counted_then_no_show_then_reactivated_within_tolerance(town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        ticket = actions.issue(town.hall, town.residence)
        actions.sign_in(town.w2, town.walt)
        ticket = actions.call_next(town.w2, town.walt)
        with pytest.raises(actions.InvalidTransition):
            actions.no_show(ticket, town.walt)  # recall first
        actions.recall(ticket, town.walt)
        actions.recall(ticket, town.walt)
        with pytest.raises(actions.InvalidTransition):
            actions.recall(ticket, town.walt)  # two recalls is the hall's limit
        actions.no_show(ticket, town.walt)
    assert ticket.state == TicketState.NO_SHOW and ticket.recalls == 2
    with time_machine.travel(at("2023-03-09 09:20"), tick=False):
        actions.reactivate(ticket, town.walt)
    assert ticket.state == TicketState.WAITING
    with time_machine.travel(at("2023-03-09 09:21"), tick=False):
        again = actions.call_next(town.w2, town.walt)
    assert again.pk == ticket.pk and again.recalls == 0


def test_no_reactivation_after_the_tolerance(town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        ticket = actions.issue(town.hall, town.residence)
        actions.sign_in(town.w2, town.walt)
        ticket = actions.call_next(town.w2, town.walt)
    with time_machine.travel(at("2023-03-09 09:06"), tick=False):
        actions.no_show(ticket, town.walt)  # the five-minute timeout passed
    with (
        time_machine.travel(at("2023-03-09 09:40"), tick=False),
        pytest.raises(actions.InvalidTransition),
    ):
        actions.reactivate(ticket, town.walt)


def test_the_worker_marks_no_shows_after_recalls_and_timeout(town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        ticket = actions.issue(town.hall, town.residence)
        actions.sign_in(town.w2, town.walt)
        ticket = actions.call_next(town.w2, town.walt)
        actions.recall(ticket, town.walt)
        actions.recall(ticket, town.walt)
    with time_machine.travel(at("2023-03-09 09:04"), tick=False):
        assert actions.sweep_no_shows(town.hall) == 0
    with time_machine.travel(at("2023-03-09 09:06"), tick=False):
        assert actions.sweep_no_shows(town.hall) == 1
    assert TicketEvent.objects.get(ticket=ticket, action="no_show").actor is None


def test_hold_lets_the_window_serve_others_then_call_back(town):
    actions.issue(town.hall, town.residence)
    actions.issue(town.hall, town.residence)
    actions.sign_in(town.w2, town.walt)
    first = actions.call_next(town.w2, town.walt)
    actions.start(first, town.walt)
    actions.hold(first, town.walt, reason="回家取户口本复印件")
    second = actions.call_next(town.w2, town.walt)
    assert second.number == "A002"
    with pytest.raises(actions.InvalidTransition):
        actions.call_back(first, town.walt)  # busy with the second
    actions.start(second, town.walt)
    actions.finish(second, town.walt)
    actions.call_back(first, town.walt)
    assert first.state == TicketState.CALLED


def test_transfer_keeps_the_number_and_the_place(town):
    actions.issue(town.hall, town.residence)
    later = actions.issue(town.hall, town.allowance)
    actions.sign_in(town.w2, town.walt)
    actions.sign_in(town.w3, town.wendy)
    early = actions.call_next(town.w2, town.walt)
    actions.start(early, town.walt)
    # The citizen also needs the allowance: window 3 handles it.
    actions.transfer(early, town.walt, matter=town.allowance, window=town.w3, reason="需办津贴")
    assert early.number == "A001" and early.state == TicketState.WAITING
    assert actions.call_next(town.w3, town.wendy).pk == early.pk
    assert later.state == TicketState.WAITING
    with pytest.raises(actions.InvalidInput):
        actions.transfer(later, town.walt, window=town.w2)  # window 2 does not do allowances


def test_calling_a_specific_ticket_needs_a_reason(town):
    actions.issue(town.hall, town.residence)
    second = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w2, town.walt)
    with pytest.raises(actions.InvalidInput):
        actions.call_ticket(town.w2, town.walt, second, reason=" ")
    actions.call_ticket(town.w2, town.walt, second, reason="行动不便，先行办理")
    event = TicketEvent.objects.get(ticket=second, action="call")
    assert event.reason == "行动不便，先行办理" and event.payload == {"out_of_order": True}


def test_pause_records_the_reason_and_sign_out_closes(town):
    actions.sign_in(town.w1, town.wendy)
    actions.set_state(town.w1, town.wendy, WindowState.PAUSED, reason="午休")
    actions.sign_out(town.w1, town.wendy)
    town.w1.refresh_from_db()
    assert town.w1.state == WindowState.CLOSED and town.w1.clerk is None
    steps = list(WindowEvent.objects.values_list("action", "reason"))
    assert steps == [
        ("sign_in", ""),
        ("open", ""),
        ("pause", "午休"),
        ("close", ""),
        ("sign_out", ""),
    ]


def test_events_cannot_be_changed(town):
    from django.core.exceptions import ValidationError

    actions.issue(town.hall, town.residence)
    with pytest.raises(ValidationError):
        TicketEvent.objects.all().update(reason="x")


def test_only_the_window_holding_a_ticket_or_the_manager_transfers_it(town):
    # Walt's stale page, or a changed ticket id, must not take the citizen from Wendy's window.
    ticket = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w1, town.wendy)
    actions.sign_in(town.w2, town.walt)
    assert actions.call_next(town.w1, town.wendy).pk == ticket.pk
    with pytest.raises(actions.NotAllowed):
        actions.transfer(ticket, town.walt, window=town.w2, reason="抢号")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CALLED and ticket.window_id == town.w1.pk
    assert not TicketEvent.objects.filter(ticket=ticket, action="transfer").exists()
    actions.transfer(ticket, town.hugo, window=town.w2, reason="窗口1暂停")
    assert ticket.state == TicketState.WAITING and ticket.target_window_id == town.w2.pk


def test_calling_a_ticket_another_window_already_has_says_which_window(town):
    # Walt's desk still listed the ticket; Wendy called it a moment earlier.
    ticket = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w1, town.wendy)
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w1, town.wendy)
    with pytest.raises(actions.Conflict) as refused:
        actions.call_ticket(town.w2, town.walt, ticket, reason="老人")
    assert refused.value.message == "A001号已在1号窗口。"
    ticket.refresh_from_db()
    assert ticket.window_id == town.w1.pk and ticket.state == TicketState.CALLED


def test_a_matter_no_window_of_the_hall_handles_is_not_recorded_as_done(town):
    """The desk posts matter ids; any id was recorded as a matter done here (another hall's,
    another centre's), in the event the hall's figures and 好差评 read (review, session 18)."""
    elsewhere = Matter.objects.create(code="shtt", name="社会团体登记", queue_group="C")
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        actions.issue(town.hall, town.residence)
        actions.sign_in(town.w1, town.wendy)
        called = actions.call_next(town.w1, town.wendy)
        actions.start(called, town.wendy)
        with pytest.raises(HallError) as refused:
            actions.finish(called, town.wendy, matters_done=[town.residence, elsewhere])
        assert refused.value.field == "matters"
        called.refresh_from_db()
        assert called.state == TicketState.SERVING
        actions.finish(called, town.wendy, matters_done=[town.allowance])
    assert TicketEvent.objects.get(ticket=called, action="finish").payload == {"matters": ["lnjt"]}
