"""Today's ticket from the portal is taken only with the code texted to the phone (短信验证码).

Security review, session 18: /hall/<code>/today/ took any well-formed mobile number: one address
took tickets under made-up numbers (10 an hour), filling the queue with people who never come,
and each ticket texted "your turn is near" to that number — the page texted strangers. Now the
form texts a six-digit code (hotline.hall.booking_code, as for booking) and only the code typed
back takes the ticket; a booking's code does not take a ticket, nor the reverse."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, Source, Ticket
from tests.conftest import at
from tests.hall.booking_by_code import Outbox, ask_for_code, book, confirm, pending_of
from tests.hall.conftest import HallTown, open_slot

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
URL = "/hall/dnl/today/"


@pytest.fixture
def online(town: HallTown) -> HallTown:
    for matter in (town.residence, town.allowance):
        matter.remote_ticket_allowed = True
        matter.save(update_fields=["remote_ticket_allowed"])
    return town


def _form(town, phone=PHONE, name="张三", matter=None):
    return {"matter": (matter or town.residence).pk, "phone": phone, "name": name}


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_made_up_number_gets_a_code_but_no_ticket(client, online):
    response, code = ask_for_code(client, URL, _form(online), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and not Ticket.objects.exists()
    # Only the code is texted: no "your turn is near" to a number nobody has proved.
    (message,) = Outbox.sent
    assert message.action == "hall_ticket_code" and message.recipients_phone == (PHONE,)
    assert code in message.text and "today's ticket" in message.text
    page = response.content.decode()
    assert "*******5678" in page and PHONE not in page.replace(f'value="{PHONE}"', "")
    assert 'inputmode="numeric" autocomplete="one-time-code"' in page
    assert "居住证办理" in page and 'data-wait="60"' in page
    assert code not in page


def test_the_right_code_takes_the_ticket(client, online):
    response = book(client, URL, _form(online))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hall/place/{ticket.token}/"
    assert (ticket.source, ticket.sms_phone, ticket.holder_name) == (Source.PORTAL, PHONE, "张三")
    assert ticket.holder_key == holder_key(phone=PHONE)


def test_no_code_and_a_wrong_code_take_no_ticket(client, online):
    asked, code = ask_for_code(client, URL, _form(online))
    assert confirm(client, URL, asked, "").status_code == 422
    refused = confirm(client, URL, asked, _wrong(code), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422
    assert "That is not the code we sent." in refused.content.decode()
    assert 'data-testid="remote-errors"' in refused.content.decode()
    assert not Ticket.objects.exists()
    assert confirm(client, URL, refused, code).status_code == 302


def test_five_wrong_codes_need_a_new_one(client, online):
    asked, code = ask_for_code(client, URL, _form(online))
    for _ in range(4):
        assert confirm(client, URL, asked, _wrong(code)).status_code == 422
    last = confirm(client, URL, asked, _wrong(code), HTTP_ACCEPT_LANGUAGE="en")
    page = last.content.decode()
    assert "Too many wrong codes. Ask for a new one." in page
    assert 'data-testid="remote-form"' in page and f'value="{PHONE}"' in page
    assert confirm(client, URL, asked, code).status_code == 422
    assert not Ticket.objects.exists()


def test_an_expired_code_takes_no_ticket(client, online):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        asked, code = ask_for_code(client, URL, _form(online))
    with time_machine.travel(at("2023-03-09 10:10:01"), tick=False):
        late = confirm(client, URL, asked, code, HTTP_ACCEPT_LANGUAGE="en")
    assert late.status_code == 422
    assert "The code has expired. Ask for a new one." in late.content.decode()
    assert not Ticket.objects.exists()


def test_a_code_for_another_phone_or_matter_takes_no_ticket(client, online):
    mine, my_code = ask_for_code(client, URL, _form(online))
    theirs, _code = ask_for_code(client, URL, _form(online, phone="13900001111"))
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        # The same phone, another matter (a minute later: one code a minute to a number).
        other, _code = ask_for_code(client, URL, _form(online, matter=online.allowance))
        assert confirm(client, URL, theirs, my_code).status_code == 422
        assert confirm(client, URL, other, my_code).status_code == 422
    signed = pending_of(mine)
    forged = signed[:3] + ("A" if signed[3] != "A" else "B") + signed[4:]
    assert client.post(URL, {"pending": forged, "code": my_code}).status_code == 422
    assert not Ticket.objects.exists()


def test_a_booking_code_takes_no_ticket_and_a_ticket_code_books_nothing(client, online):
    slot = open_slot(online, dt.date(2023, 3, 10), capacity=2)
    book_url = f"/hall/{online.hall.code}/book/"
    booked, booking_code = ask_for_code(
        client, book_url, {"matter": online.residence.pk, "slot": slot.pk, "phone": PHONE}
    )
    assert booking_code
    refused = client.post(
        URL, {"pending": pending_of(booked), "code": booking_code}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 422 and "Fill in the form again" in refused.content.decode()
    assert not Ticket.objects.exists()
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        asked, ticket_code = ask_for_code(client, URL, _form(online))
        assert ticket_code
        wrong_way = client.post(book_url, {"pending": pending_of(asked), "code": ticket_code})
    assert wrong_way.status_code == 422
    assert not Appointment.objects.exists() and not Ticket.objects.exists()


#: The holder's ticket taken another way that proves the number theirs (here the portal's, in
#: another tab): one typed at the kiosk refuses nobody (tests/hall/test_proved_holder.py).
PROVED = {"source": Source.PORTAL, "sms_phone": PHONE}


def test_a_ticket_taken_meanwhile_brings_the_form_back_filled(client, online):
    asked, code = ask_for_code(client, URL, _form(online))
    actions.issue(online.hall, online.residence, holder_key=holder_key(phone=PHONE), **PROVED)
    response = confirm(client, URL, asked, code, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 422 and "You already hold a ticket" in page
    assert 'data-testid="remote-form"' in page and f'value="{PHONE}"' in page
    assert 'value="张三"' in page
    assert Ticket.objects.count() == 1


def test_the_hall_closed_meanwhile_says_when_it_opens(client, online):
    with time_machine.travel(at("2023-03-09 16:55"), tick=False):
        asked, code = ask_for_code(client, URL, _form(online))
    with time_machine.travel(at("2023-03-09 17:01"), tick=False):
        response = confirm(client, URL, asked, code, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and "03-10 09:00" in response.content.decode()
    assert not Ticket.objects.exists()


def test_no_code_is_texted_while_the_windows_are_closed(client, online):
    with time_machine.travel(at("2023-03-09 17:30"), tick=False):
        closed, code = ask_for_code(client, URL, _form(online), HTTP_ACCEPT_LANGUAGE="en")
    assert closed.status_code == 422 and not code and "03-10 09:00" in closed.content.decode()


def test_whether_a_number_holds_a_ticket_is_said_only_to_whoever_has_its_code(client, online):
    actions.issue(online.hall, online.residence, holder_key=holder_key(phone=PHONE), **PROVED)
    asked, code = ask_for_code(client, URL, _form(online), HTTP_ACCEPT_LANGUAGE="en")
    assert asked.status_code == 200 and code
    assert "You already hold a ticket" not in asked.content.decode()
    refused = confirm(client, URL, asked, code, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422 and "You already hold a ticket" in refused.content.decode()
    assert Ticket.objects.count() == 1


def test_sending_is_limited_per_phone_with_bookings_and_per_address(client, online):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        assert ask_for_code(client, URL, _form(online))[1]
        soon, code = ask_for_code(client, URL, {**_form(online), "resend": "1"})
        assert soon.status_code == 422 and not code
    slot = open_slot(online, dt.date(2023, 3, 10), capacity=2)
    book_url = f"/hall/{online.hall.code}/book/"
    for minute in range(1, 5):
        with time_machine.travel(at(f"2023-03-09 10:{minute * 2:02d}"), tick=False):
            data = {"matter": online.residence.pk, "slot": slot.pk, "phone": PHONE}
            assert ask_for_code(client, book_url, data)[1], minute
    with time_machine.travel(at("2023-03-09 10:20"), tick=False):
        # Five codes a day to one number, bookings and tickets together.
        refused, code = ask_for_code(client, URL, _form(online), HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 422 and not code
        assert "Too many codes asked for." in refused.content.decode()
        # Nor from another address: the limit is the number's.
        assert not ask_for_code(client, URL, _form(online), REMOTE_ADDR="10.9.9.9")[1]


def test_sending_is_limited_per_address(client, online):
    for n in range(20):
        assert ask_for_code(client, URL, _form(online, phone=f"1390000{n:04d}"))[1], n
    refused, code = ask_for_code(client, URL, _form(online, phone="13900009999"))
    assert refused.status_code == 422 and not code
    assert ask_for_code(client, URL, _form(online), REMOTE_ADDR="10.9.9.9")[1]


def test_send_again_after_a_minute_texts_a_new_code(client, online):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        asked, old = ask_for_code(client, URL, {**_form(online), "submission": "t" * 24})
        # The same form sent twice (a double tap): its page again, no second text.
        twice, none = ask_for_code(client, URL, {**_form(online), "submission": "t" * 24})
        assert twice.status_code == 200 and not none and 'name="pending"' in twice.content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', asked.content.decode()).group(1)
    with time_machine.travel(at("2023-03-09 10:01:01"), tick=False):
        again, new = ask_for_code(
            client, URL, {**_form(online), "submission": token, "resend": "1"}
        )
        assert again.status_code == 200 and new
        if new != old:
            assert confirm(client, URL, asked, old).status_code == 422
        assert confirm(client, URL, again, new).status_code == 302
    assert Ticket.objects.count() == 1
