"""Checking in by mobile number at the kiosk asks for proof that the booking is one's own.

Anyone who knew a booking holder's mobile number (a neighbour, an ex, whoever saw the booking
form) could type it at the kiosk and have the holder's appointment checked in and its ticket
printed: the booking spent, the holder's place in the appointment lane taken. Halls that check
in by number (预约取号 by 手机号) confirm the person first. By number, the kiosk now shows only the
booking's time and matter and asks for the name given when booking or the last four characters
of the appointment code; a wrong answer counts against the same allowance as a wrong code. The
code alone, and staff at the reception desk (who see the person), need no more."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentState, Ticket
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

URL = "/hall/dnl/kiosk/check-in/"


def test_by_number_the_kiosk_asks_and_checks_in_nothing_yet(client, appointment):
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        asked = client.post(URL, {"phone": BOOKING_PHONE})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'data-testid="check-in-proof"' in page
    assert "09:00" in page and "居住证办理" in page
    assert "张三" not in page and "张*" not in page  # the name is the proof: never shown
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED and not Ticket.objects.exists()


@pytest.mark.parametrize("proof", ["张三", " 张 三 ", "last4", "whole code"])
def test_the_holder_checks_in_by_number_with_the_name_or_the_code_s_end(client, appointment, proof):
    if proof == "last4":
        proof = appointment.code[-4:].lower()
    elif proof == "whole code":  # typed in full in the box asking for its end: proves more
        proof = f"{appointment.code[:3]}-{appointment.code[3:]}"
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        done = client.post(URL, {"phone": BOOKING_PHONE, "proof": proof})
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CHECKED_IN
    assert done.status_code == 302 and done.url == f"/hall/ticket/{appointment.ticket.token}/"


def test_a_stranger_with_the_number_is_refused_and_counted(client, appointment):
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for guess in ["王五", "李四", "张", "0000"] * 5:
            wrong = client.post(URL, {"phone": BOOKING_PHONE, "proof": guess})
            assert wrong.status_code == 422
            assert 'data-testid="check-in-proof"' in wrong.content.decode()
        # Twenty wrong answers: the address is refused, even the right name, for a while.
        refused = client.post(URL, {"phone": BOOKING_PHONE, "proof": "张三"})
    assert refused.status_code == 429
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED and not Ticket.objects.exists()


def test_a_stranger_cannot_reprint_a_checked_in_ticket_by_number(client, town, appointment):
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        ticket = booking.arrive(town.hall, code=appointment.code)
        asked = client.post(URL, {"phone": BOOKING_PHONE})
        wrong = client.post(URL, {"phone": BOOKING_PHONE, "proof": "王五"})
        again = client.post(URL, {"phone": BOOKING_PHONE, "proof": "张三"})
    assert asked.status_code == 200 and ticket.token not in asked.content.decode()
    assert wrong.status_code == 422 and ticket.token not in wrong.content.decode()
    assert again.status_code == 302 and again.url == f"/hall/ticket/{ticket.token}/"


def test_a_booking_without_a_name_is_proved_by_the_code_s_end_only(client, town, slot):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        nameless = booking.book(slot, holder_key=holder_key(phone="13900000002"))
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        asked = client.post(URL, {"phone": "13900000002"})
        assert "预约码的后4位" in asked.content.decode()
        empty = client.post(URL, {"phone": "13900000002", "proof": " "})
        assert empty.status_code == 200  # asked again, nothing counted
        done = client.post(URL, {"phone": "13900000002", "proof": nameless.code[-4:]})
    assert done.status_code == 302


def test_the_reception_desk_checks_in_by_number_without_asking(client, town, appointment):
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        client.force_login(town.wendy)
        done = client.post("/hall/dnl/reception/", {"action": "check_in", "phone": BOOKING_PHONE})
    assert done.status_code == 302
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CHECKED_IN


@pytest.mark.parametrize("booked_as", ["王女士", "张", "王 先生", ""])
def test_a_booking_under_a_surname_only_is_proved_by_the_code_s_end(client, appointment, booked_as):
    """Operators often book a caller as 王女士 or 张: a stranger would try the common surnames.
    Such a booking is proved by the code's end only, and the kiosk asks for that alone (review,
    session 18)."""
    type(appointment).objects.filter(pk=appointment.pk).update(holder_name=booked_as)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        asked = client.post(URL, {"phone": BOOKING_PHONE})
        guessed = client.post(URL, {"phone": BOOKING_PHONE, "proof": booked_as or "王"})
        proved = client.post(URL, {"phone": BOOKING_PHONE, "proof": appointment.code[-4:]})
    assert (
        "预约码的后4位" in asked.content.decode()
        and "预约时填写的姓名" not in asked.content.decode()
    )
    assert guessed.status_code == 422
    assert proved.status_code == 302


@pytest.mark.parametrize(
    ("booked_as", "typed"),
    [
        ("张三", "張三"),
        ("張三", "张三"),
        ("O'Brien", "o’brien"),
        ("阿卜杜·热合曼", "阿卜杜‧热合曼"),
    ],
)
def test_the_holder_s_name_is_matched_in_either_script_and_with_either_mark(
    client, appointment, booked_as, typed
):
    type(appointment).objects.filter(pk=appointment.pk).update(holder_name=booked_as)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        done = client.post(URL, {"phone": BOOKING_PHONE, "proof": typed})
    assert done.status_code == 302
