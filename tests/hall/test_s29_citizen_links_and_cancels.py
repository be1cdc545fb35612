"""A citizen's hall links cut short, and cancels answered by a redirect (session 29, h9).

Chen booked Friday's 09:00 at the Daning hall on Thursday 2023-03-09; the text gave her the
booking's page, /hall/dnl/book/<code>/. Her phone's SMS app cut the link (or she typed it with a
character missing): the page said the staff's "not found, or you may not see it". So did a
ticket's page and its "give up" page with a token that matched nothing, and the rating page's
"text me the link". Now each says the citizen's "this link is incomplete" (4e0e2b6's page), in
her language, still a 404.

Chen cancelling on her phone, and Olga (12345) cancelling for her on the telephone without
script, got the result as the POST's own answer: a reload posted the cancel again. Now both are
sent to the booking's page, which says it is cancelled (and, to Olga, that she cancelled it for
the caller); the caller history's HTMX answer stays as it was.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hotline.hall.models import AppointmentAction, AppointmentState
from tests.hall.conftest import BOOKING_PHONE as PHONE

pytestmark = pytest.mark.django_db


def _says_incomplete(response, words: str = "链接不完整") -> None:
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="problem"' in html and words in html
    assert 'data-testid="error-404"' not in html  # not the staff's page


def test_chens_booking_link_cut_short_says_the_link_is_incomplete(town, appointment):
    chen = Client()
    whole = f"/hall/dnl/book/{appointment.code}/"
    assert chen.get(whole).status_code == 200
    _says_incomplete(chen.get(f"/hall/dnl/book/{appointment.code[:-1]}/"))
    english = chen.get(f"/hall/dnl/book/{appointment.code[:-1]}/", HTTP_ACCEPT_LANGUAGE="en")
    _says_incomplete(english, "This link is incomplete")
    # The hall's code mistyped: the booking's page, the booking, cancel and move pages.
    _says_incomplete(chen.get(f"/hall/dn/book/{appointment.code}/"))
    _says_incomplete(chen.get("/hall/dn/book/"))
    _says_incomplete(chen.get("/hall/dn/book/cancel/"))
    _says_incomplete(chen.get("/hall/dn/book/move/"))
    # The hall's pages a citizen opens on a phone: a ticket from afar, what to bring.
    _says_incomplete(chen.get("/hall/dn/today/"))
    _says_incomplete(chen.get("/hall/dn/materials/"))


def test_a_tickets_pages_with_a_token_that_matches_nothing(town):
    chen = Client()
    _says_incomplete(chen.get("/hall/ticket/no-such-token/"))
    _says_incomplete(chen.get("/hall/place/no-such-token/give-up/"))
    _says_incomplete(chen.post("/hall/place/no-such-token/give-up/"))
    _says_incomplete(chen.post("/ratings/visit/no-such-token/sms", {"phone": PHONE}))


def test_chens_cancel_redirects_to_her_booking_and_a_reload_cancels_nothing_more(
    town, appointment, four_pm
):
    chen = Client()
    url = reverse("hall:cancel_booking", args=["dnl"])
    data = {"booking": appointment.code, "phone": PHONE, "confirm": "1", "reason": "改天再来"}
    done = chen.post(url, data)
    assert done.status_code == 302
    assert done["Location"] == f"/hall/dnl/book/{appointment.code}/?cancelled=1"
    page = chen.get(done["Location"])  # what a reload asks for again
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="cancelled"' in html and "预约已取消" in html
    assert 'data-testid="cancelled-by"' not in html  # she cancelled it herself
    chen.get(done["Location"])
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED
    assert appointment.events.filter(action=AppointmentAction.CANCEL).count() == 1


def test_olga_without_script_is_sent_to_the_booking_which_names_her(
    district, town, appointment, four_pm
):
    olga = Client()
    olga.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    data = {"confirm": "1", "caller_phone": PHONE, "reason": "来电改期"}
    done = olga.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 302
    assert done["Location"] == f"/hall/dnl/book/{appointment.code}/?cancelled=1"
    html = olga.get(done["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Appointment cancelled" in html and 'data-testid="cancelled-by"' in html
    assert "Cancelled for the caller by" in html
    # Anyone else opening the booking's page is told nothing of who cancelled it.
    assert 'data-testid="cancelled-by"' not in Client().get(done["Location"]).content.decode()


def test_olgas_cancel_from_the_caller_history_still_answers_in_place(
    district, town, appointment, four_pm
):
    olga = Client()
    olga.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    data = {"confirm": "1", "caller_phone": PHONE, "reason": "来电改期"}
    done = olga.post(url, data, HTTP_HX_REQUEST="true")
    assert done.status_code == 200  # the caller history, with the booking cancelled
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED
