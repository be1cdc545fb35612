"""The hall's day's end: what is still open when the hall has closed ends, neither served nor
abandoned.

Thursday at 16:50 Walt (window 2) is serving 张三 and has 李四 on hold (she went for a
copy of her ID card); Wendy (window 1) has just called 王五; 赵六 still waits for
老年综合津贴. The hall closes at 17:00. Before, none of them ever ended: on Friday morning
window 2 still showed 张三 as being served and 李四 on hold, Walt could not sign out on
Thursday evening ("on hold at this window"), and 赵六's ticket stayed "waiting" for ever.
The worker's hall sweep now ends every ticket of a day an hour after that day's closing (the
windows still call the tickets given before closing), with a day_end event each; the KPIs
count them as neither abandoned nor no-shows. Run twice, or by two workers at once, each
ticket ends once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import actions, kpis, sweep
from hotline.hall.actions import tickets
from hotline.hall.models import Source, Ticket, TicketAction, TicketEvent, TicketState, Window
from hotline.hall.rules import InvalidTransition
from hotline.sla import worker
from tests.concurrency import in_threads, needs_threads_db
from tests.conftest import at

THURSDAY = dt.date(2023, 3, 9)


def _thursday_at_closing(town) -> dict[str, Ticket]:
    with time_machine.travel(at("2023-03-09 16:30"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.sign_in(town.w1, town.wendy)
        zhang = actions.issue(town.hall, town.residence, holder_name="张三")
        li = actions.issue(town.hall, town.residence, holder_name="李四")
        wang = actions.issue(town.hall, town.allowance, holder_name="王五")
        zhao = actions.issue(town.hall, town.allowance, holder_name="赵六")
    with time_machine.travel(at("2023-03-09 16:40"), tick=False):
        actions.call_next(town.w2, town.walt)  # 张三
        actions.start(zhang, town.walt)
        actions.hold(zhang, town.walt, reason="缺复印件")
        actions.call_next(town.w2, town.walt)  # 李四
        actions.start(li, town.walt)
        actions.hold(li, town.walt, reason="缺身份证复印件")
        actions.call_back(zhang, town.walt)
        actions.start(zhang, town.walt)
    with time_machine.travel(at("2023-03-09 16:50"), tick=False):
        assert actions.call_next(town.w1, town.wendy) == wang
    return {"zhang": zhang, "li": li, "wang": wang, "zhao": zhao}


def _states(people: dict[str, Ticket]) -> dict[str, str]:
    return {name: Ticket.objects.get(pk=t.pk).state for name, t in people.items()}


@pytest.mark.django_db
def test_what_is_open_an_hour_after_closing_ends_at_the_days_end(town):
    people = _thursday_at_closing(town)
    # Closing time and the hour after it: the windows still call the day's tickets.
    assert tickets.end_days(town.hall, now=at("2023-03-09 17:59")) == 0
    assert _states(people) == {
        "zhang": TicketState.SERVING,
        "li": TicketState.HELD,
        "wang": TicketState.CALLED,
        "zhao": TicketState.WAITING,
    }

    assert sweep.sweep_hall(town.hall, at("2023-03-09 18:00")).ended == 4

    assert set(_states(people).values()) == {TicketState.ENDED}
    ends = TicketEvent.objects.filter(action=TicketAction.DAY_END).order_by("ticket_id")
    assert [(e.from_state, e.actor_id, e.at) for e in ends] == [
        (TicketState.SERVING, None, at("2023-03-09 18:00")),
        (TicketState.HELD, None, at("2023-03-09 18:00")),
        (TicketState.CALLED, None, at("2023-03-09 18:00")),
        (TicketState.WAITING, None, at("2023-03-09 18:00")),
    ]
    # Run again (the next worker loop): nothing left to do, no second event.
    assert tickets.end_days(town.hall, now=at("2023-03-09 18:01")) == 0
    assert TicketEvent.objects.filter(action=TicketAction.DAY_END).count() == 4


@pytest.mark.django_db
def test_friday_morning_window_2_shows_nothing_of_thursday(client, town):
    people = _thursday_at_closing(town)
    # The worker was down on Thursday evening: its first loop on Friday ends Thursday's tickets
    # (and closes the windows left open: test_day_end_windows.py).
    with time_machine.travel(at("2023-03-10 08:30"), tick=False):
        assert worker.run_once(at("2023-03-10 08:30"))["hall_sweep"] == 4 + 2
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        actions.sign_in(town.w2, town.walt)
        client.force_login(town.walt)
        desk = client.get("/hall/dnl/desk/").content.decode()
    assert people["zhang"].number not in desk and people["li"].number not in desk


@pytest.mark.django_db
def test_the_days_ended_tickets_are_neither_abandoned_nor_no_shows(town):
    _thursday_at_closing(town)
    tickets.end_days(town.hall, now=at("2023-03-09 18:00"))
    figures = kpis.report(town.hall, THURSDAY, THURSDAY)["dnl"]
    assert figures.issued == 4
    assert figures.abandon_rate == 0 and figures.no_show_rate == 0
    assert figures.served == 0
    # 张三, 李四 and 王五 waited until their calls; 赵六 was never called.
    assert figures.called == 3
    facts = kpis.ticket_facts(town.hall, THURSDAY, THURSDAY)
    assert {f.outcome for f in facts} == {"ended"}  # not "still waiting" a day later


@pytest.mark.django_db
def test_after_closing_walt_signs_out_and_the_ticket_on_hold_ends(town):
    """At 17:10 nobody will call 李四 back today: signing out ends her ticket (Walt's step, as at
    the day's end) instead of keeping him at the window until the worker's hour."""
    people = _thursday_at_closing(town)
    with time_machine.travel(at("2023-03-09 16:55"), tick=False):
        actions.finish(people["zhang"], town.walt)
    with time_machine.travel(at("2023-03-09 17:10"), tick=False):
        actions.sign_out(town.w2, town.walt)
    town.w2.refresh_from_db()
    assert town.w2.clerk is None
    assert Ticket.objects.get(pk=people["li"].pk).state == TicketState.ENDED
    event = TicketEvent.objects.get(action=TicketAction.DAY_END)
    assert event.actor == town.walt and event.window == town.w2


@pytest.mark.django_db
def test_a_waiting_ticket_of_the_day_is_not_ended_before_the_days_end(town):
    with time_machine.travel(at("2023-03-09 16:59"), tick=False):
        ticket = actions.issue(town.hall, town.residence, source=Source.KIOSK)
    assert tickets.end_days(town.hall, now=at("2023-03-09 17:30")) == 0
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.WAITING


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_end_each_ticket_once(town):
    needs_threads_db()
    for n in range(8):
        window = Window.objects.create(hall=town.hall, number=20 + n)
        window.served.create(matter=town.residence)
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        for _ in range(12):
            actions.issue(town.hall, town.residence)
    ended: list[int] = [0, 0]

    def work(i: int) -> None:
        ended[i] = tickets.end_days(town.hall, now=at("2023-03-09 18:30"))

    errors = in_threads(work, 2)
    assert not errors, errors
    assert sum(ended) == 12
    assert TicketEvent.objects.filter(action=TicketAction.DAY_END).count() == 12
    assert set(Ticket.objects.values_list("state", flat=True)) == {TicketState.ENDED}


@pytest.mark.django_db
def test_the_desk_says_which_tickets_on_hold_ended_at_sign_out(client, town):
    people = _thursday_at_closing(town)
    with time_machine.travel(at("2023-03-09 16:55"), tick=False):
        actions.finish(people["zhang"], town.walt)
    client.force_login(town.walt)
    with time_machine.travel(at("2023-03-09 17:10"), tick=False):
        page = client.post("/hall/dnl/desk/act", {"action": "sign_out"}, follow=True)
    body = page.content.decode()
    assert "已签退" in body and people["li"].number in body and "日终结束" in body


@pytest.mark.django_db
def test_a_no_show_is_not_put_back_in_the_queue_after_the_days_end(town):
    """王五 missed his call at 17:50 and comes back at 18:05, within the 30 minutes a no-show
    may get the place back: the day has ended, so back in the queue the ticket would only be
    ended at the worker's next pass; Wendy is told so instead."""
    town.hall.reactivate_minutes = 30
    town.hall.save()
    with time_machine.travel(at("2023-03-09 16:50"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        wang = actions.issue(town.hall, town.allowance)
        actions.call_next(town.w1, town.wendy)
    with time_machine.travel(at("2023-03-09 17:50"), tick=False):
        actions.no_show(wang, town.wendy)
    with pytest.raises(InvalidTransition, match="重新取号"):
        actions.reactivate(wang, town.wendy, now=at("2023-03-09 18:05"))
    actions_before = TicketEvent.objects.filter(ticket=wang).count()
    assert Ticket.objects.get(pk=wang.pk).state == TicketState.NO_SHOW
    assert TicketEvent.objects.filter(ticket=wang).count() == actions_before
    # Within the day, the same return puts him back.
    with time_machine.travel(at("2023-03-09 17:55"), tick=False):
        actions.reactivate(wang, town.wendy)
    assert Ticket.objects.get(pk=wang.pk).state == TicketState.WAITING


@pytest.mark.django_db
def test_a_hall_closing_at_2330_ends_thursday_only_after_0030(town):
    """The day's end is an hour after closing; for a hall closing at 23:30 that is 00:30 the next
    morning, and at 00:15 Thursday's tickets were ended (the day counted as over at midnight)."""
    town.hall.closes_at = dt.time(23, 30)
    town.hall.save()
    with time_machine.travel(at("2023-03-09 23:00"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        late = actions.issue(town.hall, town.residence)
    assert tickets.end_days(town.hall, now=at("2023-03-10 00:15")) == 0
    assert Ticket.objects.get(pk=late.pk).state == TicketState.WAITING
    assert tickets.end_days(town.hall, now=at("2023-03-10 00:31")) == 1


@pytest.mark.django_db
def test_my_place_offers_no_way_back_after_the_days_end(client, town):
    """A no-show at 16:50 in a hall with 30 minutes to come back and a day ending at 18:00 may
    come back until 17:20; one at 17:50 only until 18:00 — at 18:05 the page said "ask at a
    window before 18:20", which the desk then refused."""
    town.hall.reactivate_minutes = 30
    town.hall.save()
    with time_machine.travel(at("2023-03-09 16:40"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        wang = actions.issue(town.hall, town.allowance)
        actions.call_next(town.w1, town.wendy)
    with time_machine.travel(at("2023-03-09 17:50"), tick=False):
        actions.no_show(wang, town.wendy)
    assert actions.reactivate_until(wang) == at("2023-03-09 18:00")
    with time_machine.travel(at("2023-03-09 18:05"), tick=False):
        page = client.get(f"/hall/place/{wang.token}/", HTTP_HX_REQUEST="true")
    assert page.status_code == 286  # settled: the page stops asking


@pytest.mark.django_db
def test_a_ticket_on_hold_before_opening_is_not_ended_at_sign_out(town):
    """An appointment checked in early and put on hold at 08:50 is not "the day's end": the
    clerk signing out before opening is refused as during the day."""
    with time_machine.travel(at("2023-03-09 08:40"), tick=False):
        actions.sign_in(town.w2, town.walt)
        early = actions.issue(town.hall, town.residence, check_hours=False)
        actions.call_next(town.w2, town.walt)
        actions.start(early, town.walt)
        actions.hold(early, town.walt, reason="缺复印件")
    with pytest.raises(InvalidTransition):
        actions.sign_out(town.w2, town.walt, now=at("2023-03-09 08:50"))
    assert Ticket.objects.get(pk=early.pk).state == TicketState.HELD
