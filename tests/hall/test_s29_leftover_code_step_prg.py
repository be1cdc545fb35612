"""The code step of a portal booking and of today's ticket is a page of its own (PRG).

Session 28 (h6, item 5): the "send me a code" POST was answered with the code step itself, so a
reload (or Back and Forward) asked the browser to post the phone number again. The POST now
redirects to the page's ``?step=code``; what was asked travels in a cookie of that page (not in
the address, not kept on the server), for as long as the code holds. Mia books on her phone at
the 大宁路 hall on Thursday 2023-03-09 at 10:00 (the hall's tests' clock)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import TestCase, override_settings

from hotline.hall import booking_code
from hotline.hall.models import Appointment, Ticket
from tests.conftest import at
from tests.hall.booking_by_code import OUTBOX, Outbox, confirm
from tests.hall.conftest import HallTown, open_slot

pytestmark = pytest.mark.django_db

MIA = "13912345678"
BOOK = "/hall/dnl/book/"
TODAY = "/hall/dnl/today/"


@pytest.fixture
def slot(town: HallTown):
    return open_slot(town, dt.date(2023, 3, 10), capacity=2)


@pytest.fixture
def online(town: HallTown) -> HallTown:
    town.residence.remote_ticket_allowed = True
    town.residence.save(update_fields=["remote_ticket_allowed"])
    return town


def _post(client, url: str, data: dict, **extra):
    """The form posted, as it comes back (not followed), and how many codes were texted."""
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data, **extra)
    return response, len(Outbox.sent)


def _texts(client, url: str, **extra) -> tuple[object, int]:
    """A GET of ``url`` (a reload), and how many codes it texted."""
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url, **extra)
    return response, len(Outbox.sent)


def test_mias_booking_code_is_sent_then_its_step_is_a_page_a_reload_shows_again(client, town, slot):
    form = {"matter": town.residence.pk, "slot": slot.pk, "phone": MIA, "name": "米娅"}
    sent, texted = _post(client, BOOK, form)
    assert texted == 1
    assert sent.status_code == 302 and sent["Location"] == f"{BOOK}?step=code"
    # Her number is not in the address it goes to.
    assert MIA not in sent["Location"]
    for _reload in range(2):
        step, texted = _texts(client, sent["Location"], HTTP_ACCEPT_LANGUAGE="en")
        page = step.content.decode()
        assert step.status_code == 200 and texted == 0
        assert "We texted a 6-digit code to *******5678" in page
        assert 'name="pending"' in page and "居住证办理" in page
    assert not Appointment.objects.exists()


def test_the_code_typed_on_the_step_books_and_the_step_is_gone_after(client, town, slot):
    form = {"matter": town.residence.pk, "slot": slot.pk, "phone": MIA, "name": "米娅"}
    sent, _texted = _post(client, BOOK, form)
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", Outbox.sent[0].text).group(1)
    step = client.get(sent["Location"])
    booked = confirm(client, f"{BOOK}?step=code", step, code)
    appointment = Appointment.objects.get()
    assert booked.status_code == 302 and booked["Location"] == f"{BOOK}{appointment.code}/"
    # Back to the step: the code is used, so the form, not a code step that books nothing.
    assert client.cookies[booking_code.STEP_COOKIE].value == ""
    back = client.get(f"{BOOK}?step=code")
    assert back.status_code == 200 and 'name="pending"' not in back.content.decode()


def test_the_step_after_the_code_expired_shows_the_form_to_ask_again(client, town, slot):
    form = {"matter": town.residence.pk, "slot": slot.pk, "phone": MIA, "name": "米娅"}
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        sent, _texted = _post(client, BOOK, form)
    with time_machine.travel(at("2023-03-09 10:11"), tick=False):
        later = client.get(sent["Location"])
    page = later.content.decode()
    assert later.status_code == 200 and 'name="pending"' not in page
    assert 'data-testid="book-form"' in page or 'data-testid="choose-matter"' in page


def test_mias_ticket_code_step_is_a_page_too(client, online):
    form = {"matter": online.residence.pk, "phone": MIA, "name": "米娅"}
    sent, texted = _post(client, TODAY, form)
    assert texted == 1
    assert sent.status_code == 302 and sent["Location"] == f"{TODAY}?step=code"
    step, texted = _texts(client, sent["Location"], HTTP_ACCEPT_LANGUAGE="en")
    page = step.content.decode()
    assert step.status_code == 200 and texted == 0
    assert "We texted a 6-digit code to *******5678" in page and "居住证办理" in page
    assert not Ticket.objects.exists()


def test_a_booking_step_does_not_show_on_the_ticket_page(client, town, online, slot):
    """The cookie is the booking page's: the ticket page's step address shows its form."""
    form = {"matter": town.residence.pk, "slot": slot.pk, "phone": MIA, "name": "米娅"}
    _post(client, BOOK, form)
    # Even sent to the ticket page (a client that ignores the path), it is not a ticket's.
    cookie = client.cookies[booking_code.STEP_COOKIE].value
    client.cookies[booking_code.STEP_COOKIE] = cookie
    client.cookies[booking_code.STEP_COOKIE]["path"] = "/"
    page = client.get(f"{TODAY}?step=code").content.decode()
    assert 'name="pending"' not in page and 'data-testid="remote-form"' in page
