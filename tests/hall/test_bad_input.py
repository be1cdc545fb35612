"""The hall's pages used by a tired clerk and by someone poking at them: mangled ids, double
clicks, another hall's window or ticket, an endless reason, no login. Each gets a clear answer
(a message, 404 or 422) and nothing changes; none gets a server error."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import Ticket, TicketEvent, TicketState, WindowEvent, WindowState
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

MANGLED = ["abc", "²", "9" * 40, "-1", "1.5", ""]


@pytest.fixture
def walt_at_window_2(client, town):
    client.force_login(town.walt)
    actions.sign_in(town.w2, town.walt)
    return client


def _act(client, town, **data):
    return client.post(f"/hall/{town.hall.code}/desk/act", data, follow=True)


@pytest.mark.parametrize("value", MANGLED)
def test_a_mangled_ticket_or_window_id_finds_nothing_and_changes_nothing(
    walt_at_window_2, town, value
):
    ticket = actions.issue(town.hall, town.residence)
    before = TicketEvent.objects.count(), WindowEvent.objects.count()
    for data in (
        {"action": "recall", "ticket": value},
        {"action": "call_ticket", "ticket": value, "reason": "老人"},
        {"action": "sign_in", "window": value},
    ):
        assert _act(walt_at_window_2, town, **data).status_code == 404
    # A mangled matter or window in a transfer or a finish is ignored, not a crash.
    actions.call_next(town.w2, town.walt)
    actions.start(ticket, town.walt)
    moved = _act(walt_at_window_2, town, action="transfer", ticket=ticket.pk, matter=value)
    assert moved.status_code == 200
    assert (TicketEvent.objects.count(), WindowEvent.objects.count()) == (before[0] + 2, before[1])
    done = _act(walt_at_window_2, town, action="finish", ticket=ticket.pk, matters=[value])
    assert done.status_code == 200
    ticket.refresh_from_db()
    assert ticket.state == TicketState.DONE


def test_a_double_click_on_call_next_calls_one_ticket(walt_at_window_2, town):
    first = actions.issue(town.hall, town.residence)
    second = actions.issue(town.hall, town.residence)
    _act(walt_at_window_2, town, action="call_next")
    again = _act(walt_at_window_2, town, action="call_next").content.decode()
    assert '<li class="error">' in again
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (TicketState.CALLED, TicketState.WAITING)


def test_an_endless_reason_is_refused_with_a_message(walt_at_window_2, town):
    page = _act(walt_at_window_2, town, action="pause", reason="午休" * 200).content.decode()
    assert '<li class="error">' in page and "100" in page
    town.w2.refresh_from_db()
    assert town.w2.state == WindowState.OPEN and town.w2.pause_reason == ""
    ticket = actions.issue(town.hall, town.residence)
    _act(walt_at_window_2, town, action="call_ticket", ticket=ticket.pk, reason="x" * 101)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING


def test_walt_cannot_reach_another_halls_window_or_ticket(walt_at_window_2, town):
    other = make_hall(town.district, "jn")
    theirs = actions.issue(other.hall, other.residence)
    assert _act(walt_at_window_2, town, action="sign_in", window=other.w1.pk).status_code == 404
    assert _act(walt_at_window_2, town, action="recall", ticket=theirs.pk).status_code == 404
    assert walt_at_window_2.get(f"/hall/{other.hall.code}/desk/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.state == TicketState.WAITING and other.w1.clerk_id is None


def test_nobody_signed_in_is_sent_to_log_in(client, town):
    response = client.post(f"/hall/{town.hall.code}/desk/act", {"action": "call_next"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not WindowEvent.objects.exists()


@pytest.mark.parametrize("value", MANGLED)
def test_public_pages_survive_mangled_ids(client, town, value):
    assert client.get(f"/hall/{town.hall.code}/book/?matter={value}").status_code == 200
    refused = client.post(f"/hall/{town.hall.code}/kiosk/", {"matter": value, "name": "张" * 500})
    assert refused.status_code == 422
    check_in = client.post(
        f"/hall/{town.hall.code}/kiosk/check-in/", {"code": value * 50, "phone": "9" * 500}
    )
    assert check_in.status_code == 422 and 'role="alert"' in check_in.content.decode()
    assert not Ticket.objects.exists()
