"""A booking made on the portal is confirmed by a code texted to the phone (短信验证码).

Security review, session 18: /hall/<code>/book/ took any well-formed mobile number: one address
made nine bookings in minutes with made-up numbers, and within the per-address limit a script
could book out every hall's week. Now the portal's form texts a six-digit code to the number and
books only when it is typed back; the operator booking for a caller and an enrolled kiosk book in
one step as before."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, Kiosk
from hotline.portal.models import PortalHit
from tests.conftest import at
from tests.hall.booking_by_code import Outbox, ask_for_code, book, confirm, pending_of
from tests.hall.conftest import HallTown, enrolled_browser, open_slot

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
FRIDAY = dt.date(2023, 3, 10)
URL = "/hall/dnl/book/"


@pytest.fixture
def slot(town: HallTown):
    return open_slot(town, FRIDAY, capacity=2)


def _form(town, slot, phone=PHONE, name="张三"):
    return {"matter": town.residence.pk, "slot": slot.pk, "phone": phone, "name": name}


def test_a_made_up_number_gets_a_code_but_no_booking(client, town, slot):
    response, code = ask_for_code(client, URL, _form(town, slot))
    assert response.status_code == 200 and not Appointment.objects.exists()
    (message,) = Outbox.sent
    assert message.recipients_phone == (PHONE,) and code in message.text
    page = response.content.decode()
    assert "*******5678" in page and PHONE not in page.replace(f'value="{PHONE}"', "")
    assert 'inputmode="numeric" autocomplete="one-time-code"' in page
    # The code is nowhere on the page, not even hashed without a key.
    assert code not in page


def test_the_right_code_books(client, town, slot):
    response = book(client, URL, _form(town, slot))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{appointment.code}/"
    assert appointment.holder_key == holder_key(phone=PHONE) and appointment.holder_name == "张三"


def test_no_code_and_a_wrong_code_do_not_book(client, town, slot):
    asked, code = ask_for_code(client, URL, _form(town, slot))
    assert confirm(client, URL, asked, "").status_code == 422
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    refused = confirm(client, URL, asked, wrong, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422
    assert "That is not the code we sent." in refused.content.decode()
    assert not Appointment.objects.exists()
    # The page asks again on the same sending; the right code still books.
    assert confirm(client, URL, refused, code).status_code == 302


def test_five_wrong_codes_need_a_new_one_and_the_form_comes_back_filled(client, town, slot):
    asked, code = ask_for_code(client, URL, _form(town, slot))
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        assert confirm(client, URL, asked, wrong).status_code == 422
    last = confirm(client, URL, asked, wrong, HTTP_ACCEPT_LANGUAGE="en")
    page = last.content.decode()
    assert "Too many wrong codes. Ask for a new one." in page
    assert 'data-testid="book-form"' in page and f'value="{PHONE}"' in page
    # Now even the right code does not book on that sending.
    assert confirm(client, URL, asked, code).status_code == 422
    assert not Appointment.objects.exists()


def test_an_expired_code_does_not_book(client, town, slot):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        asked, code = ask_for_code(client, URL, _form(town, slot))
    with time_machine.travel(at("2023-03-09 10:10:01"), tick=False):
        late = confirm(client, URL, asked, code, HTTP_ACCEPT_LANGUAGE="en")
    assert late.status_code == 422
    assert "The code has expired. Ask for a new one." in late.content.decode()
    assert not Appointment.objects.exists()


def test_a_code_for_another_phone_or_slot_does_not_book(client, town, slot):
    other_slot = booking.open_slots(
        town.hall,
        town.residence,
        FRIDAY,
        starts=dt.time(10),
        ends=dt.time(10, 30),
        minutes=30,
        capacity=2,
    )[0]
    mine, my_code = ask_for_code(client, URL, _form(town, slot))
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        theirs, _code = ask_for_code(client, URL, _form(town, slot, phone="13900001111"))
        elsewhere, _code = ask_for_code(client, URL, _form(town, other_slot, phone="13900002222"))
        assert confirm(client, URL, theirs, my_code).status_code == 422
        assert confirm(client, URL, elsewhere, my_code).status_code == 422
        # Nor can the signed sending be altered to name another phone.
        signed = pending_of(mine)
        forged = signed[:3] + ("A" if signed[3] != "A" else "B") + signed[4:]
        refused = client.post(URL, {"pending": forged, "code": my_code})
    assert refused.status_code == 422
    assert not Appointment.objects.exists()


def test_the_slot_filled_meanwhile_says_so_and_keeps_the_form(client, town):
    full = open_slot(town, FRIDAY, capacity=1)
    # Another time to choose: with none left, the page says so and shows no form (session 25).
    booking.open_slots(
        town.hall, town.residence, FRIDAY,
        starts=dt.time(10), ends=dt.time(10, 30), minutes=30, capacity=1,
    )  # fmt: skip
    asked, code = ask_for_code(client, URL, _form(town, full))
    booking.book(full, holder_key=holder_key(phone="13700001111"))
    response = confirm(client, URL, asked, code, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 422
    assert "This time is fully booked. Choose another." in page
    assert f'value="{PHONE}"' in page and 'value="张三"' in page
    assert Appointment.objects.count() == 1


def test_sending_again_waits_a_minute_and_codes_are_limited_per_phone(client, town, slot):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        assert ask_for_code(client, URL, _form(town, slot))[1]
        soon, code = ask_for_code(client, URL, {**_form(town, slot), "resend": "1"})
        assert soon.status_code == 422 and not code
    for minute in range(2, 6):
        with time_machine.travel(at(f"2023-03-09 10:{minute * 2:02d}"), tick=False):
            assert ask_for_code(client, URL, _form(town, slot))[1], minute
    with time_machine.travel(at("2023-03-09 10:20"), tick=False):
        # Five codes a day to one number: the page cannot text a stranger without end.
        refused, code = ask_for_code(client, URL, _form(town, slot), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422 and not code
    assert "Too many codes asked for." in refused.content.decode()


def test_codes_are_limited_per_address(client, town, slot):
    for n in range(20):
        assert ask_for_code(client, URL, _form(town, slot, phone=f"1390000{n:04d}"))[1], n
    refused, code = ask_for_code(client, URL, _form(town, slot, phone="13900009999"))
    assert refused.status_code == 422 and not code
    # Another address is not shut out.
    assert ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR="10.9.9.9")[1]


def test_the_code_itself_is_not_kept(client, town, slot):
    _asked, code = ask_for_code(client, URL, _form(town, slot))
    assert not any(code in key for key in PortalHit.objects.values_list("key", flat=True))


def test_the_operator_and_an_enrolled_kiosk_book_in_one_step(client, district, town, slot):
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    machine = enrolled_browser(kiosk, town.hugo)
    at_kiosk, code = ask_for_code(machine, f"{URL}?kiosk=dnl-zz1", _form(town, slot))
    assert at_kiosk.status_code == 302 and not code
    client.force_login(district.olga)
    for_caller, code = ask_for_code(client, URL, _form(town, slot, phone="13900001111"))
    assert for_caller.status_code == 302 and not code
    assert Appointment.objects.count() == 2
    assert Appointment.objects.filter(booked_by=district.olga).count() == 1


def _resend(town, slot, asked):
    """The code page's "send again": the form as filled, with the page's token."""
    token = re.search(r'name="submission" value="([^"]+)"', asked.content.decode()).group(1)
    return {**_form(town, slot), "submission": token, "resend": "1"}


def test_send_again_after_a_minute_texts_a_new_code_and_only_it_books(client, town, slot):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        asked, old = ask_for_code(client, URL, {**_form(town, slot), "submission": "t" * 24})
        # Too soon (no script to hold the button back): the page that takes the code stays.
        soon, none = ask_for_code(
            client, URL, _resend(town, slot, asked), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert soon.status_code == 422 and not none
    assert "less than a minute ago" in soon.content.decode()
    assert 'name="pending"' in soon.content.decode()
    with time_machine.travel(at("2023-03-09 10:01:01"), tick=False):
        again, new = ask_for_code(client, URL, _resend(town, slot, asked))
        assert again.status_code == 200 and new
        if new != old:
            # The first page's code no longer books once a newer one was sent.
            assert confirm(client, URL, asked, old).status_code == 422
        assert confirm(client, URL, again, new).status_code == 302
    assert Appointment.objects.count() == 1
