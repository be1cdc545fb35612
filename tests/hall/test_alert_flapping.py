"""A wait that crosses the service level back and forth. Walt calls the oldest ticket, the next one
is just under the level, a minute later just over it: before, each crossing cleared the alert and
raised a new one, and Hugo's phone got the same 【提醒】 each time. An alert whose condition comes
back within HALL_ALERT_QUIET_MINUTES (15) of clearing is the same alert again, acknowledged as it
was and not notified; a worse level still escalates and notifies; once really cleared (longer than
the quiet period) a new condition is a new alert."""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings

from hotline.hall import actions, alerts
from hotline.hall.models import Alert, AlertLevel, Ticket, TicketState
from tests.conftest import at

pytestmark = pytest.mark.django_db(transaction=True)  # notifications go out on commit


def _sent(caplog) -> int:
    return sum("hall_alert_wait" in r.getMessage() for r in caplog.records)


@pytest.fixture
def notices(caplog):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    return caplog


def test_a_wait_crossing_the_level_back_and_forth_notifies_once(town, notices):
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    actions.sign_in(town.w3, town.wendy, now=at("2023-03-09 09:00"))
    for minute in ("09:00", "09:02", "09:04"):
        actions.issue(town.hall, town.residence, now=at(f"2023-03-09 {minute}"))
    [alert] = alerts.evaluate(town.hall, now=at("2023-03-09 09:21"))  # A001 waited 21 min
    alerts.acknowledge(alert, town.hugo, now=at("2023-03-09 09:21"))
    assert _sent(notices) == 1

    actions.call_next(town.w2, town.walt, now=at("2023-03-09 09:22"))  # A002 has waited 20
    assert alerts.evaluate(town.hall, now=at("2023-03-09 09:22")) == []
    [again] = alerts.evaluate(town.hall, now=at("2023-03-09 09:23"))  # A002: 21
    assert again.pk == alert.pk and again.acknowledged_by == town.hugo
    actions.call_next(town.w3, town.wendy, now=at("2023-03-09 09:24"))  # A003 has waited 20
    assert alerts.evaluate(town.hall, now=at("2023-03-09 09:24")) == []
    assert alerts.evaluate(town.hall, now=at("2023-03-09 09:25")) != []  # A003: 21
    assert _sent(notices) == 1  # one condition, one SMS
    assert Alert.objects.count() == 1

    # Window 2 serves A001 and calls A003 at 09:26: clear for longer than the quiet period.
    _serve_and_call_next(town.w2, town.walt, at("2023-03-09 09:26"))
    assert alerts.evaluate(town.hall, now=at("2023-03-09 09:26")) == []
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:30"))
    [new] = alerts.evaluate(town.hall, now=at("2023-03-09 09:51"))
    assert new.pk != alert.pk and new.acknowledged_at is None
    assert _sent(notices) == 2


def _serve_and_call_next(window, clerk, now):
    ticket = Ticket.objects.get(window=window, state=TicketState.CALLED)
    actions.start(ticket, clerk, now=now)
    actions.finish(ticket, clerk, now=now)
    actions.call_next(window, clerk, now=now)


def test_a_condition_back_worse_within_the_quiet_period_escalates_and_notifies(town, notices):
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:05"))
    [alert] = alerts.evaluate(town.hall, now=at("2023-03-09 09:21"))
    alerts.acknowledge(alert, town.hugo, now=at("2023-03-09 09:21"))
    actions.call_next(town.w2, town.walt, now=at("2023-03-09 09:22"))  # A002: 17 min
    assert alerts.evaluate(town.hall, now=at("2023-03-09 09:22")) == []

    [worse] = alerts.evaluate(town.hall, now=at("2023-03-09 09:36"))  # A002: 31 min, 1.5×
    assert worse.pk == alert.pk
    assert worse.level == AlertLevel.WARNING and worse.acknowledged_at is None
    assert _sent(notices) == 2


@override_settings(HALL_ALERT_QUIET_MINUTES=0)
def test_without_a_quiet_period_each_return_is_a_new_alert(town, notices):
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:02"))
    alerts.evaluate(town.hall, now=at("2023-03-09 09:21"))
    actions.call_next(town.w2, town.walt, now=at("2023-03-09 09:22"))
    alerts.evaluate(town.hall, now=at("2023-03-09 09:22"))
    alerts.evaluate(town.hall, now=at("2023-03-09 09:23"))
    assert Alert.objects.count() == 2 and _sent(notices) == 2
