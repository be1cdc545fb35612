"""The manager's alerts: raised once per condition at three levels, escalated, acknowledged by
Hugo (not by Walt), cleared when the condition ends; each raise goes through the notifiers."""

from __future__ import annotations

import logging

import pytest
from django.utils import translation

from hotline.hall import actions, alerts
from hotline.hall.models import Alert, AlertKind, AlertLevel
from hotline.hall.rules import InvalidTransition, NotAllowed
from tests.conftest import at

pytestmark = pytest.mark.django_db(transaction=True)  # notifications go out on commit


def test_a_long_wait_raises_escalates_and_clears(town, caplog):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    ticket = actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    assert alerts.evaluate(town.hall, now=at("2023-03-09 09:15")) == []
    [alert] = alerts.evaluate(town.hall, now=at("2023-03-09 09:21"))
    assert (alert.kind, alert.level) == (AlertKind.WAIT, AlertLevel.NOTICE)
    alerts.evaluate(town.hall, now=at("2023-03-09 09:25"))  # still a notice: not raised again
    assert Alert.objects.count() == 1
    assert sum("hall_alert_wait" in r.getMessage() for r in caplog.records) == 1

    with pytest.raises(NotAllowed):
        alerts.acknowledge(alert, town.walt)
    alerts.acknowledge(alert, town.hugo, now=at("2023-03-09 09:26"))
    with pytest.raises(InvalidTransition):
        alerts.acknowledge(alert, town.hugo)

    [worse] = alerts.evaluate(town.hall, now=at("2023-03-09 09:41"))
    assert worse.pk == alert.pk and worse.level == AlertLevel.CRITICAL
    assert worse.acknowledged_at is None  # a worse level needs a new acknowledgement
    assert sum("hall_alert_wait" in r.getMessage() for r in caplog.records) == 2

    actions.call_next(town.w2, town.walt, now=at("2023-03-09 09:42"))
    assert alerts.evaluate(town.hall, now=at("2023-03-09 09:43")) == []
    assert Alert.objects.get().cleared_at == at("2023-03-09 09:43")
    assert ticket.number == "A001"


def test_waiting_with_no_window_open_is_critical(town):
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    [alert] = alerts.evaluate(town.hall, now=at("2023-03-09 09:01"))
    assert (alert.kind, alert.level) == (AlertKind.SATURATION, AlertLevel.CRITICAL)


def test_a_high_no_show_and_abandon_rate(town):
    now = at("2023-03-09 10:00")
    tickets = [actions.issue(town.hall, town.allowance, now=now) for _ in range(10)]
    for ticket in tickets[:3]:
        actions.cancel(ticket, now=now)
    actions.sign_in(town.w1, town.wendy, now=now)
    actions.sign_in(town.w3, town.walt, now=now)  # 7 waiting for two windows: not saturated
    kinds = {a.kind: a.level for a in alerts.evaluate(town.hall, now=now)}
    assert kinds == {AlertKind.ABANDON: AlertLevel.NOTICE}  # 30 % against 15 %; not above 2×


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("zh-hans", "【严重】{unit}：1人等候，但没有开放的窗口。"),
        ("en", "[Critical] {unit}: 1 waiting and no window open."),
    ],
)
def test_the_alert_sms_reads_in_one_language_with_its_own_marks(town, caplog, language, line):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    with translation.override(language):
        actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
        [alert] = alerts.evaluate(town.hall, now=at("2023-03-09 09:01"))
        expected = line.format(unit=town.hall.unit.name)
        assert alerts.alert_text(town.hall, alert) == expected  # as the page's reader reads it
    # What the notifier sent (the logging adapter writes the text) is the hall's own language,
    # whichever page raised it (before, a board open in English texted the centre in English).
    sent = f"【严重】{town.hall.unit.name}：1人等候，但没有开放的窗口。"
    assert any(r.getMessage().endswith(sent) for r in caplog.records)


def test_a_board_in_english_and_one_in_chinese_do_not_rewrite_the_alert(town):
    """Before, each poll stored the message in its page's language: two managers' boards, one in
    English, rewrote the alert back and forth every few seconds."""
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    with translation.override("en"):
        [shown] = alerts.evaluate(town.hall, now=at("2023-03-09 09:01"))
    assert shown.message == "1 waiting and no window open."
    stored = Alert.objects.get(pk=shown.pk)
    assert stored.message == "1人等候，但没有开放的窗口。"
    with translation.override("zh-hans"):
        [shown] = alerts.evaluate(town.hall, now=at("2023-03-09 09:02"))
    assert shown.message == stored.message
