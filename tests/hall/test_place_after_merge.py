"""张三's booking ticket ended because he was served on his kiosk ticket (his ID seen at window 2,
the merge step). His booking ticket's "my place" said "the hall closed before this ticket was dealt
with … take a new ticket" — wrong, and sending him back to the kiosk. It now names the ticket he
was served on (the number only, never a link to its page), in both languages."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import translation

from tests.conftest import at
from tests.hall.test_start_kiosk_ticket_beside_booking import (
    _kiosk_ticket_called_then_booking_checked_in,
)

pytestmark = pytest.mark.django_db

ACT = "/hall/dnl/desk/act"


def test_the_merged_ticket_names_the_ticket_he_was_served_on(client, town, appointment):
    kiosk, booked = _kiosk_ticket_called_then_booking_checked_in(client, town, appointment)
    with time_machine.travel(at("2023-03-10 09:12"), tick=False):
        client.force_login(town.walt)
        client.post(
            ACT,
            {"action": "start", "ticket": kiosk.pk, "holder_seen": "1", "end_other": booked.pk},
        )
        client.logout()
        page = client.get(f"/hall/place/{booked.token}/").content.decode()
        with translation.override("en"):
            english = client.get(
                f"/hall/place/{booked.token}/", HTTP_ACCEPT_LANGUAGE="en"
            ).content.decode()
    assert 'data-testid="place-ended"' in page
    assert kiosk.number in page and "已关闭" in page
    assert "大厅已下班" not in page and "The hall closed" not in english
    assert "You were served on your ticket" in english and kiosk.number in english
    assert kiosk.token not in page
