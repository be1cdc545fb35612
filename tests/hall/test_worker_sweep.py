"""The worker (``hotline worker``, ``serve --with-worker``) runs the hall's pass: with nobody
looking at Hugo's live board, a citizen waiting past the service level raises the alert and its
SMS, a booking past its check-in tolerance is marked missed, and a called ticket past
the no-show timeout becomes a no-show. Before, only ``hotline hall sweep`` (which nothing ran)
and the open board did: the alert meant to reach a manager away from the board never went
out, and the missed bookings stayed 'booked'."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from hotline.hall import actions
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Alert, AlertKind, AppointmentState, TicketState
from hotline.sla import worker
from tests.conftest import at
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db(transaction=True)  # notifications go out on commit


def test_the_worker_raises_alerts_and_marks_no_shows_and_missed_bookings(town, caplog):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    slot = open_slot(town, dt.date(2023, 3, 9))  # 09:00, late tolerance 15 minutes
    kept_away = booking.book(
        slot, holder_key=holder_key(phone="13912345678"), now=at("2023-03-08 12:00")
    )
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    called = actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    actions.call_next(town.w2, town.walt, now=at("2023-03-09 09:01"))
    for minute in (2, 3):
        actions.recall(called, town.walt, now=at(f"2023-03-09 09:0{minute}"))
    # 老年综合津贴: window 2 does not serve it, so it waits past the service level (20 minutes).
    waiting = actions.issue(town.hall, town.allowance, now=at("2023-03-09 09:05"))

    done = worker.run_once(at("2023-03-09 09:30"))

    assert done["hall_sweep"] == 2
    called.refresh_from_db()
    kept_away.refresh_from_db()
    assert called.state == TicketState.NO_SHOW
    assert kept_away.state == AppointmentState.NO_SHOW
    [alert] = Alert.objects.filter(kind=AlertKind.WAIT)
    assert alert.raised_at == at("2023-03-09 09:30") and waiting.state == TicketState.WAITING
    assert any("hall_alert_wait" in r.getMessage() for r in caplog.records)
