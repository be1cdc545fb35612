"""A small hall where one clerk prints the slips at the reception desk and serves the visits.

Wendy prints the slip (its QR code is the visit's rating key) and serves the visit, so the slip's
code cannot rate it (test_slip_printed_by_staff.py). Before, every QR or SMS rating of such a
visit was refused and only the window's pad took one. The rating link texted to the mobile number
the ticket was given under is a key Wendy never held — it is not printed nor shown on her screen,
only that phone receives it — so it rates the visit, when that number was proved by something
Wendy does not control (a code texted to it, a booking); any other number (Wendy's own included)
gets no link, a number Wendy typed herself gets none (a second SIM would rate her own service),
and the ordinary link is still refused."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client, override_settings

from hotline.hall import actions as hall
from hotline.hall import identity
from hotline.hall.models import HolderProof, Source
from hotline.ratings import actions as ratings
from hotline.ratings import links
from hotline.ratings.models import Channel, Rating, RatingAction, RatingEvent
from hotline.ratings.rules import NotAllowed
from tests.conftest import at

pytestmark = pytest.mark.django_db

ZHANG = "13912345678"
WENDY = "13800001111"


class Outbox:
    sent: list = []

    def send(self, message) -> None:
        self.sent.append(message)


@pytest.fixture(autouse=True)
def _outbox():
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=["tests.ratings.test_one_clerk_hall.Outbox"]):
        yield


def _served_by_the_one_clerk(town, phone=ZHANG, *, typed_by_the_clerk=False):
    """Zhang's ticket, its slip printed by Wendy, who then serves it. His number was proved by
    the code texted to it (he took the ticket on the portal and asked Wendy at the reception desk
    for a slip); ``typed_by_the_clerk``: Wendy gave the ticket at the desk under the number she
    typed (her say-so only)."""
    wendy, w1 = town.hall.wendy, town.hall.w1
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        if typed_by_the_clerk:
            ticket = hall.issue(
                town.hall.hall,
                town.hall.residence,
                source=Source.RECEPTION,
                actor=wendy,
                holder_key=identity.holder_key(phone=phone),
            )
        else:
            ticket = hall.issue(
                town.hall.hall,
                town.hall.residence,
                source=Source.PORTAL,
                holder_key=identity.holder_key(phone=phone),
                sms_phone=phone,
            )
            assert ticket.holder_proof == HolderProof.SMS
            hall.reprint(ticket, actor=wendy, via=Source.RECEPTION)
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        hall.sign_in(w1, wendy)
        called = hall.call_next(w1, wendy)
        assert called is not None and called.pk == ticket.pk
        hall.start(called, wendy)
    with time_machine.travel(at("2023-03-09 10:12"), tick=False):
        hall.finish(called, wendy)
    called.refresh_from_db()
    Outbox.sent.clear()  # the portal ticket's text near the front
    return called


def _ask_for_the_link(ticket, phone, capture):
    with time_machine.travel(at("2023-03-09 10:20"), tick=False), capture(execute=True):
        return Client().post(f"/ratings/visit/{ticket.token}/sms", {"phone": phone, "to": "holder"})


def _path(message) -> str:
    link = message.text.split(": ")[-1]
    return link[link.index("/ratings/r/") :]


def test_the_slip_page_offers_the_link_to_the_tickets_own_number(town):
    ticket = _served_by_the_one_clerk(town)
    with time_machine.travel(at("2023-03-09 10:20"), tick=False):
        page = Client().get(f"/ratings/visit/{ticket.token}/").content.decode()
    assert 'data-testid="slip-by-server"' in page and 'data-testid="holder-link"' in page
    assert 'data-testid="rate-form"' not in page


def test_zhang_rates_through_the_link_texted_to_his_number(
    town, django_capture_on_commit_callbacks
):
    ticket = _served_by_the_one_clerk(town)
    response = _ask_for_the_link(ticket, "139 1234 5678", django_capture_on_commit_callbacks)
    assert response.status_code == 200 and 'data-testid="sms-sent"' in response.content.decode()
    (message,) = Outbox.sent
    assert message.recipients_phone == (ZHANG,)
    path = _path(message)
    # Not the link any number gets, nor anything printed on the slip.
    assert path != f"/ratings/r/{links.sms_token(ticket)}/" and ticket.token not in path
    with time_machine.travel(at("2023-03-09 10:25"), tick=False):
        page = Client().get(path).content.decode()
        assert 'data-testid="rate-form"' in page
        Client().post(path, {"level": "2", "reasons": ["waiting"]})
    rating = Rating.objects.get()
    assert rating.channel == Channel.SMS and rating.clerk == town.hall.wendy
    assert rating.order is not None  # the 差评 opened its rectification
    event = RatingEvent.objects.get(rating=rating, action=RatingAction.RATE)
    assert event.payload["to_holder"] is True


def test_wendy_asking_for_the_link_with_her_own_number_gets_nothing(
    town, django_capture_on_commit_callbacks
):
    ticket = _served_by_the_one_clerk(town)
    response = _ask_for_the_link(ticket, WENDY, django_capture_on_commit_callbacks)
    assert response.status_code == 422 and 'data-testid="sms-sent"' not in response.content.decode()
    assert Outbox.sent == []


def test_a_ticket_wendy_gave_under_her_own_number_gets_no_holders_link(
    town, django_capture_on_commit_callbacks
):
    town.hall.wendy.phone = WENDY
    town.hall.wendy.save(update_fields=["phone"])
    ticket = _served_by_the_one_clerk(town, phone=WENDY)
    response = _ask_for_the_link(ticket, WENDY, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert Outbox.sent == []


def test_a_number_wendy_typed_at_the_desk_gets_no_holders_link(
    town, django_capture_on_commit_callbacks
):
    """Review, session 22: a number the clerk typed is her say-so. Given under a second SIM (not
    her profile's number), served and then asked for, the holder's link would let her rate her
    own service; such a visit rates on the pad only, and the page offers no holder's link."""
    town.hall.wendy.phone = WENDY
    town.hall.wendy.save(update_fields=["phone"])
    second_sim = "13700002222"
    ticket = _served_by_the_one_clerk(town, phone=second_sim, typed_by_the_clerk=True)
    with time_machine.travel(at("2023-03-09 10:20"), tick=False):
        page = Client().get(f"/ratings/visit/{ticket.token}/").content.decode()
    assert 'data-testid="slip-by-server"' in page and 'data-testid="holder-link"' not in page
    response = _ask_for_the_link(ticket, second_sim, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert Outbox.sent == []


def test_the_ordinary_link_and_the_slips_code_still_cannot_rate_it(town):
    ticket = _served_by_the_one_clerk(town)
    with time_machine.travel(at("2023-03-09 10:20"), tick=False):
        response = Client().post(f"/ratings/r/{links.sms_token(ticket)}/", {"level": "5"})
        assert response.status_code == 409
        with pytest.raises(NotAllowed):
            # The holder's mark counts only on the texted link.
            ratings.rate(ticket, None, level=5, channel=Channel.QR, to_holder=True)
    assert not Rating.objects.exists()


def _answer(response) -> str:
    """The page without its CSRF token (a fresh one each time)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_wendy_cannot_use_up_zhangs_link_with_wrong_numbers(
    town, django_capture_on_commit_callbacks
):
    # Attack, session 23: refused asks counted against the ticket's two texts, so Wendy (who
    # holds the slip she printed) asked twice with other numbers and Zhang was told "the link
    # has already been sent" and got nothing. Attack, session 24: with refused numbers capped at
    # three, the third wrong number refused Zhang's own. However many wrong numbers come first,
    # Zhang's own number gets the link.
    ticket = _served_by_the_one_clerk(town)
    for number in (WENDY, "13900000002", "13900000003", "13900000004"):
        refused = _ask_for_the_link(ticket, number, django_capture_on_commit_callbacks)
        assert refused.status_code in (200, 422)
    response = _ask_for_the_link(ticket, ZHANG, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    (message,) = Outbox.sent
    assert message.recipients_phone == (ZHANG,)
    assert "/ratings/r/" in message.text


def test_the_slip_does_not_answer_guess_after_guess_whether_a_number_is_zhangs(
    town, django_capture_on_commit_callbacks
):
    # Review, session 23: with refused asks not counted at all, the slip's page answered "not
    # the ticket's number" to wrong numbers and sent to the right one, without limit — the clerk
    # holding the slip could find Zhang's number. Three refused numbers a day; past them every
    # number is answered alike (the link goes to Zhang's only), and "already sent" too.
    ticket = _served_by_the_one_clerk(town)
    for i in range(3):
        refused = _ask_for_the_link(ticket, f"1390000000{i}", django_capture_on_commit_callbacks)
        assert refused.status_code == 422
        assert "只发送到取号时登记的手机号码" in refused.content.decode()
    wrong = _ask_for_the_link(ticket, "13900000007", django_capture_on_commit_callbacks)
    right = _ask_for_the_link(ticket, ZHANG, django_capture_on_commit_callbacks)
    assert wrong.status_code == right.status_code == 200
    assert _answer(wrong) == _answer(right)
    assert "如果这是取号时登记的手机号码" in _answer(right)
    assert "只发送到取号时登记的手机号码" not in _answer(right)
    assert [m.recipients_phone for m in Outbox.sent] == [(ZHANG,)]
    # Zhang's second text, then his day's two are used: his third ask reads as a wrong number's.
    _ask_for_the_link(ticket, ZHANG, django_capture_on_commit_callbacks)
    third = _ask_for_the_link(ticket, ZHANG, django_capture_on_commit_callbacks)
    wrong = _ask_for_the_link(ticket, "13900000008", django_capture_on_commit_callbacks)
    assert third.status_code == wrong.status_code == 200
    assert _answer(third) == _answer(wrong) == _answer(right)
    assert [m.recipients_phone for m in Outbox.sent] == [(ZHANG,), (ZHANG,)]


def test_past_the_refused_numbers_what_is_no_mobile_number_is_still_said(
    town, django_capture_on_commit_callbacks
):
    ticket = _served_by_the_one_clerk(town)
    for i in range(3):
        _ask_for_the_link(ticket, f"1390000000{i}", django_capture_on_commit_callbacks)
    response = _ask_for_the_link(ticket, "12345", django_capture_on_commit_callbacks)
    assert response.status_code == 422 and "11位" in response.content.decode()
    assert Outbox.sent == []
