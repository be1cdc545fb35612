"""A ticket transferred to a window that is not open waits for nobody (walk-through, session 23,
M6). The transfer itself refuses a window that is not open, but a window may close or pause
after a ticket was sent to it.

- Walt transfers A001 to Wendy's window 1; Wendy closes it (or signs out): A001 goes back to the
  matter's queue, keeping its place, by a transfer event of hers, and her desk says so ("1
  transferred here went back…: A001"). Walt's "Call next" then takes it.
- Wendy pauses instead: A001 stays sent to window 1 (it comes back), and Hugo's board raises a
  notice naming it, through the notifiers, which Hugo acknowledges; it clears when she reopens.
- A ticket still sent to a closed window (transferred as the window closed) raises a warning.
"""

from __future__ import annotations

import logging

import pytest
from django.utils import translation

from hotline.hall import actions, alerts
from hotline.hall.models import Alert, AlertKind, AlertLevel, TicketAction, WindowState
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db(transaction=True)  # notifications go out on commit

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def sent_to_wendy(town):
    """Walt (window 2) served A001 and transferred it to Wendy's window 1 at 09:05."""
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    actions.sign_in(town.w1, town.wendy, now=at("2023-03-09 09:00"))
    ticket = actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    actions.call_next(town.w2, town.walt, now=at("2023-03-09 09:01"))
    actions.start(ticket, town.walt, now=at("2023-03-09 09:02"))
    actions.transfer(
        ticket, town.walt, window=town.w1, reason="综合窗口", now=at("2023-03-09 09:05")
    )
    ticket.refresh_from_db()
    assert ticket.target_window_id == town.w1.pk
    return ticket


def test_closing_the_window_sends_its_transferred_ticket_back_to_the_queue(town, sent_to_wendy):
    wendy = logged_in(town.wendy)
    page = wendy.post(
        f"/hall/{town.hall.code}/desk/act", {"action": "close"}, follow=True
    ).content.decode()
    assert "窗口已关闭。转至本窗口的1人已回到所办事项的队列，排位不变：A001。" in page
    ticket = sent_to_wendy
    ticket.refresh_from_db()
    assert ticket.target_window_id is None and ticket.queued_at == at("2023-03-09 09:00")
    back = ticket.events.order_by("-seq").first()
    assert back.action == TicketAction.TRANSFER and back.actor == town.wendy
    assert back.payload["from_target"] == 1 and back.payload["window_closed"] is True
    called = actions.call_next(town.w2, town.walt)
    assert called is not None and called.pk == ticket.pk


def test_signing_out_says_so_too(town, sent_to_wendy):
    wendy = logged_in(town.wendy)
    page = wendy.post(
        f"/hall/{town.hall.code}/desk/act", {"action": "sign_out"}, follow=True, **EN
    ).content.decode()
    assert (
        "Signed out. 1 transferred here went back to their matter&#x27;s queue, keeping their "
        "place: A001." in page
    )
    sent_to_wendy.refresh_from_db()
    assert sent_to_wendy.target_window_id is None


def test_a_close_with_nothing_sent_there_says_only_that(town):
    actions.sign_in(town.w1, town.wendy)
    page = (
        logged_in(town.wendy)
        .post(f"/hall/{town.hall.code}/desk/act", {"action": "close"}, follow=True, **EN)
        .content.decode()
    )
    assert "Window closed." in page and "transferred here" not in page


def test_a_paused_window_keeps_it_and_the_manager_is_told(town, sent_to_wendy, caplog):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    actions.set_state(
        town.w1, town.wendy, WindowState.PAUSED, reason="系统故障", now=at("2023-03-09 09:06")
    )
    sent_to_wendy.refresh_from_db()
    assert sent_to_wendy.target_window_id == town.w1.pk  # it comes back
    [alert] = alerts.evaluate(town.hall, now=at("2023-03-09 09:07"))
    assert (alert.kind, alert.level) == (AlertKind.NOT_OPEN, AlertLevel.NOTICE)
    assert alert.message == "1人在等候未开放的窗口：A001（1号窗口，暂停）。"
    assert sum("hall_alert_not_open" in r.getMessage() for r in caplog.records) == 1
    with translation.override("en"):
        [shown] = alerts.evaluate(town.hall, now=at("2023-03-09 09:08"))
    assert shown.message == "1 waiting for a window that is not open: A001 at window 1 (Paused)."

    hugo = logged_in(town.hugo)
    board = hugo.get(f"/hall/{town.hall.code}/manage/").content.decode()
    assert 'data-alert="not_open"' in board and "等候未开放的窗口" in board
    hugo.post(f"/hall/{town.hall.code}/manage/alerts/{alert.pk}/ack")
    assert Alert.objects.get(pk=alert.pk).acknowledged_by == town.hugo

    actions.set_state(town.w1, town.wendy, WindowState.OPEN, now=at("2023-03-09 09:08"))
    assert alerts.evaluate(town.hall, now=at("2023-03-09 09:09")) == []
    assert Alert.objects.get(pk=alert.pk).cleared_at == at("2023-03-09 09:09")


def test_a_ticket_left_sent_to_a_closed_window_is_a_warning(town, sent_to_wendy):
    # Sent there as the window closed: the transfer read it open, the close found nothing yet.
    actions.sign_in(town.w3, town.hugo, now=at("2023-03-09 09:06"))
    actions.sign_out(town.w1, town.wendy, now=at("2023-03-09 09:06"))
    type(sent_to_wendy).objects.filter(pk=sent_to_wendy.pk).update(target_window=town.w1)
    [alert] = alerts.evaluate(town.hall, now=at("2023-03-09 09:07"))
    assert (alert.kind, alert.level) == (AlertKind.NOT_OPEN, AlertLevel.WARNING)
    assert alert.message == "1人在等候未开放的窗口：A001（1号窗口，关闭）。"
    alerts.acknowledge(alert, town.hugo, now=at("2023-03-09 09:08"))
    # Another window calls it out of order (its desk offers it): the condition ends.
    actions.call_ticket(town.w3, town.hugo, sent_to_wendy, reason="1号窗口已关闭")
    assert alerts.evaluate(town.hall, now=at("2023-03-09 09:09")) == []
