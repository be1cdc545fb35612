"""Two passes evaluating the hall at once (the worker's and the manager's board, or two managers'
boards) both read the alert at its old level. Before, each escalated it and each sent the SMS:
the manager got the same 【严重】 twice. The escalation is conditional on the level read, and only
the pass that made it notifies."""

from __future__ import annotations

import logging

import pytest

from hotline.hall import actions, alerts
from hotline.hall.models import Alert, AlertLevel
from tests.conftest import at

pytestmark = pytest.mark.django_db(transaction=True)  # notifications go out on commit


class _StaleReads:
    """Alert.objects for a pass that read the live alerts before the other pass escalated."""

    def __init__(self, stale: list[Alert]) -> None:
        self.stale = stale

    def filter(self, **lookups):
        if "hall" in lookups and lookups.get("cleared_at__isnull") and self.stale:
            stale, self.stale = self.stale, []
            return stale
        return Alert._default_manager.filter(**lookups)

    def create(self, **values):
        return Alert._default_manager.create(**values)


def test_an_escalation_read_by_two_passes_is_notified_once(town, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    [notice] = alerts.evaluate(town.hall, now=at("2023-03-09 09:21"))
    assert notice.level == AlertLevel.NOTICE
    read_before = list(Alert.objects.filter(hall=town.hall, cleared_at__isnull=True))

    alerts.evaluate(town.hall, now=at("2023-03-09 09:41"))  # the first pass escalates
    monkeypatch.setattr(alerts.Alert, "objects", _StaleReads(read_before), raising=False)
    alerts.evaluate(town.hall, now=at("2023-03-09 09:41"))  # the second read it as a notice

    assert Alert._default_manager.get().level == AlertLevel.CRITICAL
    sent = [r for r in caplog.records if "hall_alert_wait" in r.getMessage()]
    assert len(sent) == 2  # the notice, and the escalation once
