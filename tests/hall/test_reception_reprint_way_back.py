"""The reception desk's print of a ticket taken at the kiosk leads back to the reception desk.

李阿姨 checked in her appointment at the ticket kiosk and lost the slip; Hugo, at the reception
desk, checks her in again and prints it for her. The ticket's page decided where to go back by
where the ticket was given (the kiosk), not by who printed it: after 20 s Hugo's reception screen
went by itself to the public kiosk page. Printed by the hall's staff, the page now stays and its
Back leads to the reception desk; the kiosk's own print still returns to the kiosk by itself."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _page(client, response) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"]).content.decode()


def test_a_kiosk_check_in_printed_again_at_reception_stays_at_reception(client, town, slot):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(slot, holder_key="k" * 64)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        checked_in = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code})
        kiosk_page = _page(client, checked_in)
        assert 'data-return="/hall/dnl/kiosk/"' in kiosk_page
        client.force_login(town.hugo)
        response = client.post(
            "/hall/dnl/reception/", {"action": "check_in", "code": appointment.code}
        )
        page = _page(client, response)
    assert "data-return" not in page  # the reception's screen stays where it is
    assert 'data-testid="ticket-back" href="/hall/dnl/reception/"' in page


def test_a_kiosk_ticket_opened_by_staff_of_another_hall_still_returns_to_the_kiosk(
    client, town, district
):
    from tests.hall.conftest import make_hall

    other = make_hall(district, code="jny")
    issued = client.post("/hall/dnl/kiosk/", {"matter": town.residence.pk})
    client.force_login(other.hugo)
    page = _page(client, issued)
    assert 'data-return="/hall/dnl/kiosk/"' in page
