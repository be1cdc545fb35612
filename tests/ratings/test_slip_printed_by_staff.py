"""A visit rated through its slip's code when a member of staff printed that slip.

The slip's QR code (the ticket's page) is the rating key. A clerk who printed the slip of a visit
they served — given at the reception desk, or printed again while it was at their window — holds
that key: logged out, they could rate their own service (or give it a 差评 and open a
rectification order). Such a rating through the QR code or the SMS link is refused; the window's
pad still takes it. A slip printed again by someone else after the visit was called is allowed
but marked on the rating's event, so an appeal or an audit can see it.

Wendy serves at window 1, Walt works the reception desk.
"""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from hotline.hall import actions as hall
from hotline.hall.models import Source
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel, Rating, RatingAction, RatingEvent
from hotline.ratings.rules import NotAllowed
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _serve(town, ticket, *, reprint_by=None):
    wendy, w1 = town.hall.wendy, town.hall.w1
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        hall.sign_in(w1, wendy)
        called = hall.call_next(w1, wendy)
        assert called is not None and called.pk == ticket.pk
        hall.start(called, wendy)
        if reprint_by is not None:
            hall.reprint(called, actor=reprint_by, via=Source.RECEPTION)
    with time_machine.travel(at("2023-03-09 10:12"), tick=False):
        hall.finish(called, wendy)
    called.refresh_from_db()
    return called


def _issue(town, actor=None):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        if actor is None:
            return hall.issue(town.hall.hall, town.hall.residence)
        return hall.issue(town.hall.hall, town.hall.residence, source=Source.RECEPTION, actor=actor)


def _rate(ticket, channel=Channel.QR):
    with time_machine.travel(at("2023-03-09 10:20"), tick=False):
        return ratings.rate(ticket, None, level=1, channel=channel, reasons=["waiting"])


def test_the_clerk_who_gave_the_slip_at_the_desk_and_served_it_cannot_rate_it_by_qr(town):
    ticket = _serve(town, _issue(town, actor=town.hall.wendy))
    with pytest.raises(NotAllowed) as refused:
        _rate(ticket)
    assert "打印" in refused.value.message
    assert not Rating.objects.exists()


def test_the_clerk_who_printed_again_the_visit_at_her_window_cannot_rate_it_by_sms(town):
    ticket = _serve(town, _issue(town), reprint_by=town.hall.wendy)
    with pytest.raises(NotAllowed):
        _rate(ticket, Channel.SMS)
    assert not Rating.objects.exists()


def test_a_slip_printed_again_by_a_colleague_after_the_call_is_marked_on_the_rating(town):
    ticket = _serve(town, _issue(town), reprint_by=town.hall.walt)
    rating = _rate(ticket)
    event = RatingEvent.objects.get(rating=rating, action=RatingAction.RATE)
    marked = event.payload["slip_after_call"]
    assert [m["by"] for m in marked] == [town.hall.walt.pk]


def test_an_ordinary_visit_is_rated_and_not_marked(town):
    ticket = _serve(town, _issue(town, actor=town.hall.walt))
    rating = _rate(ticket)
    assert rating.order is not None  # the 差评 opened its rectification
    event = RatingEvent.objects.get(rating=rating, action=RatingAction.RATE)
    assert "slip_after_call" not in event.payload


def test_the_qr_page_says_why_before_the_form_and_opens_no_order(client, town):
    # The page offered the whole form (and the "text me the link" one) and said why only after
    # the citizen had filled it in (review, session 21): it says so at once now.
    ticket = _serve(town, _issue(town, actor=town.hall.wendy))
    url = reverse("ratings:visit", args=[ticket.token])
    with time_machine.travel(at("2023-03-09 10:20"), tick=False):
        page = client.get(url).content.decode()
        response = client.post(url, {"level": "1", "reasons": ["waiting"]})
    assert 'data-testid="slip-by-server"' in page and "不能通过其二维码或短信链接评价" in page
    assert 'data-testid="rate-form"' not in page and 'id="sms-link"' not in page
    assert response.status_code == 409
    assert 'data-testid="slip-by-server"' in response.content.decode()
    assert not Rating.objects.exists()
