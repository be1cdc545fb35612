"""Hugo runs the floor from his live board (walk of a manager's day, session 28, F6).

Wendy is off sick at 08:55: Hugo puts Walt at window 3 and opens it, moves a clerk from one
window to another, closes a window; a clerk calling or serving someone is not moved, a window
serving someone is not closed, and what happens to the tickets sent to a closing window is said.
Only the hall's own manager does this; a window or clerk of another hall is not reached by
editing the form."""

from __future__ import annotations

import html

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.models import Ticket, TicketState, WindowEvent, WindowState
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _put(client, town, number, clerk, **extra):
    pk = "" if clerk is None else clerk.pk
    return client.post(f"/hall/dnl/manage/windows/{number}/clerk", {"clerk": pk}, **extra)


def test_hugo_puts_walt_at_window_3_at_five_to_nine_and_it_opens(client, town):
    """Wendy is off sick: nobody would open window 3 this morning."""
    client.force_login(town.hugo)
    assert 'data-testid="floor"' in client.get("/hall/dnl/manage/").content.decode()

    with time_machine.travel(at("2023-03-09 08:55"), tick=False):
        answer = _put(client, town, 3, town.walt)

    assert answer.status_code == 302 and answer["Location"] == "/hall/dnl/manage/#floor"
    town.w3.refresh_from_db()
    assert (town.w3.clerk, town.w3.state) == (town.walt, WindowState.OPEN)
    steps = list(
        WindowEvent.objects.filter(window=town.w3).values_list("action", "clerk", "reason")
    )
    # The steps name Hugo, who made them; the sign-in names Walt, who was put there.
    assert steps == [("sign_in", town.hugo.pk, "walt-dnl"), ("open", town.hugo.pk, "")]
    shown = client.get("/hall/dnl/manage/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "walt-dnl在3号窗口，窗口已开放。" in shown


def test_moving_wendy_closes_the_window_she_leaves(client, town):
    actions.sign_in(town.w1, town.wendy)
    client.force_login(town.hugo)

    answer = _put(client, town, 3, town.wendy, HTTP_ACCEPT_LANGUAGE="en", **HTMX)

    assert answer.status_code == 200
    text = answer.content.decode()
    assert 'id="floor"' in text and "<html" not in text
    assert "wendy-dnl is at window 3; it is open. Window 1, where they were, is closed." in text
    town.w1.refresh_from_db()
    town.w3.refresh_from_db()
    assert town.w1.clerk is None and town.w1.state == WindowState.CLOSED
    assert town.w3.clerk == town.wendy and town.w3.state == WindowState.OPEN
    left = WindowEvent.objects.filter(window=town.w1, action="sign_out").get()
    assert (left.clerk, left.reason) == (town.hugo, "wendy-dnl")


def test_the_answer_in_chinese_runs_its_sentences_on(client, town):
    actions.sign_in(town.w1, town.wendy)
    client.force_login(town.hugo)
    text = _put(client, town, 3, town.wendy, HTTP_ACCEPT_LANGUAGE="zh-hans", **HTMX)
    assert "wendy-dnl在3号窗口，窗口已开放。其原在的1号窗口已关闭。" in text.content.decode()


def test_wendy_serving_a_citizen_is_not_moved(client, town):
    actions.sign_in(town.w1, town.wendy)
    ticket = actions.issue(town.hall, town.residence)
    actions.call_next(town.w1, town.wendy)
    actions.start(ticket, town.wendy)
    client.force_login(town.hugo)

    answer = _put(client, town, 3, town.wendy, HTTP_ACCEPT_LANGUAGE="en", **HTMX)

    text = answer.content.decode()
    assert f"wendy-dnl is serving ticket {ticket.number} at window 1: finish or transfer" in text
    town.w1.refresh_from_db()
    town.w3.refresh_from_db()
    assert town.w1.clerk == town.wendy and town.w1.state == WindowState.OPEN
    assert town.w3.clerk is None
    # Nor is window 1 closed under her, nor is she signed out of it.
    refused = client.post(
        "/hall/dnl/manage/windows/1/state", {"state": "closed"}, HTTP_ACCEPT_LANGUAGE="en", **HTMX
    )
    assert "Finish, hold or transfer the current ticket first." in refused.content.decode()
    signed_out = _put(client, town, 1, None, HTTP_ACCEPT_LANGUAGE="en", **HTMX)
    assert "serving ticket" in signed_out.content.decode()
    town.w1.refresh_from_db()
    assert town.w1.clerk == town.wendy and town.w1.state == WindowState.OPEN


def test_a_window_with_a_clerk_at_it_is_not_taken_over(client, town):
    actions.sign_in(town.w2, town.walt)
    client.force_login(town.hugo)

    text = _put(client, town, 2, town.wendy, HTTP_ACCEPT_LANGUAGE="en", **HTMX).content.decode()

    assert "walt-dnl is at window 2: move them or sign them out first." in text
    town.w2.refresh_from_db()
    assert town.w2.clerk == town.walt


def test_closing_sends_the_tickets_transferred_there_back_to_the_queue(client, town):
    actions.sign_in(town.w1, town.wendy)
    actions.sign_in(town.w3, town.walt)
    ticket = actions.issue(town.hall, town.residence)
    actions.call_next(town.w1, town.wendy)
    actions.transfer(ticket, town.wendy, window=town.w3)
    client.force_login(town.hugo)

    text = client.post(
        "/hall/dnl/manage/windows/3/state", {"state": "closed"}, HTTP_ACCEPT_LANGUAGE="en", **HTMX
    ).content.decode()
    text = html.unescape(text)

    assert "Window 3 is closed." in text
    assert f"Sent back to their matter's queue, keeping their place: {ticket.number}." in text
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING and ticket.target_window is None
    town.w3.refresh_from_db()
    assert town.w3.state == WindowState.CLOSED
    closed = WindowEvent.objects.filter(window=town.w3, action="close").get()
    assert closed.clerk == town.hugo


def test_a_window_with_nobody_at_it_does_not_open(client, town):
    client.force_login(town.hugo)
    text = client.post(
        "/hall/dnl/manage/windows/3/state", {"state": "open"}, HTTP_ACCEPT_LANGUAGE="en", **HTMX
    ).content.decode()
    assert "Nobody is at window 3: put a clerk there first." in text
    town.w3.refresh_from_db()
    assert town.w3.state == WindowState.CLOSED
    # Nor is it offered: its row says what comes first instead of an "Open" that is refused.
    row = text.split('data-floor-window="3"', 1)[1].split("</tr>", 1)[0]
    assert 'data-action="open-window"' not in row and 'data-testid="floor-needs-clerk"' in row


def test_hugo_signs_walt_out_and_reopens_with_him(client, town):
    actions.sign_in(town.w2, town.walt)
    client.force_login(town.hugo)
    _put(client, town, 2, None)
    town.w2.refresh_from_db()
    assert town.w2.clerk is None and town.w2.state == WindowState.CLOSED
    _put(client, town, 2, town.walt)
    client.post("/hall/dnl/manage/windows/2/state", {"state": "closed"})
    client.post("/hall/dnl/manage/windows/2/state", {"state": "open"})
    town.w2.refresh_from_db()
    assert town.w2.clerk == town.walt and town.w2.state == WindowState.OPEN


def test_only_the_halls_manager_runs_its_floor(client, town, district):
    other = make_hall(district, "jnl")
    for person in (town.wendy, other.hugo, district.una):
        client.force_login(person)
        assert _put(client, town, 3, town.walt).status_code == 403
        assert (
            client.post("/hall/dnl/manage/windows/3/state", {"state": "closed"}).status_code == 403
        )
        assert client.get("/hall/dnl/manage/floor/", **HTMX).status_code == 403
    town.w3.refresh_from_db()
    assert town.w3.clerk is None


def test_a_form_edited_to_reach_another_hall_changes_nothing(client, town, district):
    other = make_hall(district, "jnl")
    client.force_login(town.hugo)
    # Window 9 is no window of 大宁路 (jnl has windows 1-3 of its own, reached by their hall).
    assert _put(client, town, 9, town.walt).status_code == 404
    # Another hall's clerk, by id.
    text = _put(client, town, 3, other.walt, HTTP_ACCEPT_LANGUAGE="en", **HTMX).content.decode()
    assert "walt-jnl is not a clerk of this hall." in text
    assert (
        "Choose a clerk of this hall."
        in (
            client.post(
                "/hall/dnl/manage/windows/3/clerk",
                {"clerk": "x"},
                HTTP_ACCEPT_LANGUAGE="en",
                **HTMX,
            )
        ).content.decode()
    )
    assert (
        "Unknown window state."
        in (
            client.post(
                "/hall/dnl/manage/windows/3/state",
                {"state": "paused"},
                HTTP_ACCEPT_LANGUAGE="en",
                **HTMX,
            )
        ).content.decode()
    )
    town.w3.refresh_from_db()
    other.w3.refresh_from_db()
    assert town.w3.clerk is None and other.w3.clerk is None
    assert not Ticket.objects.exists()
