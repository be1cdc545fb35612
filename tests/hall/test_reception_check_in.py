"""Hugo checks in an appointment at the reception desk.

张三 booked 居住证 for Friday 09:00. At 08:50 the kiosk will not take his code (the kiosk is
shut for a few minutes after a stranger's wrong codes, or his phone is flat and he does not
remember the code); the kiosk tells him to ask at reception. Before, reception could only give
him an ordinary ticket: his booking was marked a no-show, and he queued behind the appointment
lane he had booked. Reception now checks a booking in by code or mobile number, through the same
check-in as the kiosk (the tolerance, the refusal recorded; the channel is hall staff), with no
limit on wrong codes for staff, and prints the appointment's ticket; its page goes back to the
reception desk, not to the kiosk."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.models import AppointmentAction, AppointmentState, Source, Ticket
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

URL = "/hall/dnl/reception/"


def test_hugo_checks_in_zhang_by_his_number_and_prints_the_ticket(client, town, appointment):
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        client.force_login(town.hugo)
        page = client.get(URL).content.decode()
        assert 'data-testid="reception-check-in"' in page
        for _ in range(25):  # a wrong number typed over and over: no lockout for staff
            client.post(URL, {"action": "check_in", "code": "ZZZZZZ"})
        done = client.post(URL, {"action": "check_in", "phone": BOOKING_PHONE})
        assert done.status_code == 302
        ticket_page = client.get(done["Location"]).content.decode()
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CHECKED_IN
    event = appointment.events.get(action=AppointmentAction.CHECK_IN)
    assert event.actor == town.hugo and event.channel == "hall"
    assert Ticket.objects.get().source == Source.APPOINTMENT
    assert 'data-testid="ticket-back" href="/hall/dnl/reception/"' in ticket_page
    assert "data-return=" not in ticket_page  # the desk's page stays


def test_too_late_at_reception_is_refused_in_place_and_recorded(client, town, appointment):
    with time_machine.travel(at("2023-03-10 09:20"), tick=False):
        client.force_login(town.hugo)
        refused = client.post(URL, {"action": "check_in", "code": appointment.code})
    assert refused.status_code == 422
    assert "已超过预约签到时间" in refused.content.decode()
    refusal = appointment.events.get(action=AppointmentAction.REFUSE)
    assert refusal.actor == town.hugo and refusal.channel == "hall"


def test_a_code_or_number_is_asked_for(client, town, appointment):
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        client.force_login(town.hugo)
        refused = client.post(URL, {"action": "check_in", "code": " ", "phone": ""})
    assert refused.status_code == 422 and "请输入预约码或手机号" in refused.content.decode()


def test_una_may_not_check_in(client, town, appointment):
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        client.force_login(town.district.una)
        assert client.post(URL, {"action": "check_in", "code": appointment.code}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED


def test_a_no_show_refused_at_reception_is_recorded_as_the_staff_members(client, town, appointment):
    """Review: after the worker marked the booking missed, reception's refusal was recorded as
    the kiosk's, with nobody named."""
    from hotline.hall.actions import appointments as booking

    booking.mark_no_shows(town.hall, now=at("2023-03-10 09:20"))
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.NO_SHOW
    with time_machine.travel(at("2023-03-10 09:25"), tick=False):
        client.force_login(town.hugo)
        refused = client.post(URL, {"action": "check_in", "code": appointment.code})
    assert refused.status_code == 422
    refusal = appointment.events.get(action=AppointmentAction.REFUSE)
    assert refusal.actor == town.hugo and refusal.channel == "hall"
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.TURNED_AWAY
