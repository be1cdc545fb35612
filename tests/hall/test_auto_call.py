"""Auto-call (optional per window): when Wendy finishes or skips a ticket at a window with
auto-call on, the next ticket is called for her through the same race-safe call-next."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.models import TicketEvent, TicketState, WindowEvent, WindowState
from hotline.hall.rules import NotAllowed
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _serve(ticket, clerk):
    actions.start(ticket, clerk)
    return actions.finish(ticket, clerk)


def test_finishing_calls_the_next_ticket_when_auto_call_is_on(town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=True):
        first = actions.issue(town.hall, town.residence)
        second = actions.issue(town.hall, town.residence)
        actions.sign_in(town.w2, town.walt)
        actions.set_auto_call(town.w2, town.walt, True)
        assert actions.call_next(town.w2, town.walt).pk == first.pk
        called = _serve(first, town.walt)
    assert called is not None and called.pk == second.pk
    second.refresh_from_db()
    assert second.state == TicketState.CALLED and second.window_id == town.w2.pk
    call = TicketEvent.objects.get(ticket=second, action="call")
    assert call.actor == town.walt and call.window_id == town.w2.pk
    # Nobody else waits: finishing leaves the window free, no error.
    with time_machine.travel(at("2023-03-09 09:10"), tick=True):
        assert _serve(second, town.walt) is None


def test_without_auto_call_the_window_waits_for_the_clerk(town):
    first = actions.issue(town.hall, town.residence)
    waiting = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    assert _serve(first, town.walt) is None
    waiting.refresh_from_db()
    assert waiting.state == TicketState.WAITING


def test_a_no_show_calls_the_next_and_a_paused_window_does_not(town):
    town.hall.recalls_before_no_show = 0
    town.hall.save()
    absent = actions.issue(town.hall, town.residence)
    present = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w2, town.walt)
    actions.set_auto_call(town.w2, town.walt, True)
    actions.call_next(town.w2, town.walt)
    called = actions.no_show(absent, town.walt)
    assert called is not None and called.pk == present.pk
    # Paused after the call: finishing does not call anyone.
    later = actions.issue(town.hall, town.residence)
    actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")
    assert _serve(present, town.walt) is None
    later.refresh_from_db()
    assert later.state == TicketState.WAITING


def test_two_auto_calling_windows_never_take_the_same_ticket(town):
    tickets = [actions.issue(town.hall, town.residence) for _ in range(4)]
    for window, clerk in ((town.w1, town.wendy), (town.w2, town.walt)):
        actions.sign_in(window, clerk)
        actions.set_auto_call(window, clerk, True)
    a = actions.call_next(town.w1, town.wendy)
    b = actions.call_next(town.w2, town.walt)
    next_a = _serve(a, town.wendy)
    next_b = _serve(b, town.walt)
    called = {a.pk, b.pk, next_a.pk, next_b.pk}
    assert called == {t.pk for t in tickets}


def test_the_setting_is_a_window_event_and_only_the_window_s_clerk_changes_it(town):
    actions.sign_in(town.w1, town.wendy)
    actions.set_auto_call(town.w1, town.wendy, True)
    actions.set_auto_call(town.w1, town.wendy, True)  # already on: no second event
    actions.set_auto_call(town.w1, town.wendy, False)
    steps = list(WindowEvent.objects.filter(window=town.w1).values_list("action", flat=True))
    assert steps == ["sign_in", "open", "auto_call_on", "auto_call_off"]
    with pytest.raises(NotAllowed):
        actions.set_auto_call(town.w1, town.walt, True)  # Walt is not signed in at window 1
    with pytest.raises(NotAllowed):
        actions.set_auto_call(town.w1, town.district.una, True)


def test_the_desk_switches_auto_call_and_reports_the_next_call(client, town):
    first = actions.issue(town.hall, town.residence)
    second = actions.issue(town.hall, town.residence)
    client.force_login(town.walt)
    url = f"/hall/{town.hall.code}/desk/act"
    client.post(url, {"action": "sign_in", "window": town.w2.pk})
    page = client.post(url, {"action": "auto_call", "on": "1"}, follow=True).content.decode()
    assert 'data-on="1"' in page
    client.post(url, {"action": "call_next"})
    client.post(url, {"action": "start", "ticket": first.pk})
    page = client.post(url, {"action": "finish", "ticket": first.pk}, follow=True).content.decode()
    assert second.number in page
    second.refresh_from_db()
    assert second.state == TicketState.CALLED
