"""A ticket ended because its holder was served on another (the ``merge`` step) is one visit,
not two: the hall's figures skip it as they skip a ticket an appointment replaced (review,
session 22: it stayed 'waiting' and was counted as one more issued ticket, still open)."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions, kpis
from tests.conftest import at
from tests.hall.test_start_kiosk_ticket_beside_booking import (
    _kiosk_ticket_called_then_booking_checked_in,
)

pytestmark = pytest.mark.django_db


def test_the_merged_ticket_is_not_a_second_visit(client, town, appointment):
    kiosk, booked = _kiosk_ticket_called_then_booking_checked_in(client, town, appointment)
    with time_machine.travel(at("2023-03-10 09:12"), tick=False):
        actions.start(kiosk, town.walt, holder_seen=True, end_other=booked.pk)
    facts = {f.ticket: f for f in kpis.ticket_facts(town.hall, kiosk.day, kiosk.day)}
    assert facts[booked.pk].outcome == "replaced"
    assert facts[kiosk.pk].outcome != "replaced"
