"""追评 through a slip its server printed (attack, session 26, h5 F1; 12bc434, f5fd132).

Wendy, alone at a small hall's reception and window, gives Chen his slip and serves him. Such a
slip's QR code is no key to rate the visit (she holds it): Chen rates it 不满意 on the window's
pad and leaves his mobile number. Once the rectification closes, the follow-up (追评) is the
citizen's last word on it, and it opened on the slip's QR page to whoever held the code: Wendy,
signed out, rated the rectification of the complaint against her 非常满意. The slip's page now
refuses it and says where to give it; the link texted to Chen's number still gives it."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from hotline.ratings import actions as ratings
from hotline.ratings import links
from hotline.ratings.models import Channel, Level, RatingState
from tests.conftest import at
from tests.ratings.test_rectification import _close, enrolled_pad
from tests.ratings.test_slip_printed_by_staff import _issue, _serve

pytestmark = pytest.mark.django_db


def _complaint_against_wendy(town):
    ticket = _serve(town, _issue(town, actor=town.hall.wendy))  # she printed it and served it
    with time_machine.travel(at("2023-03-09 10:14"), tick=False):
        rating = ratings.rate(
            ticket,
            None,
            level=Level.DISSATISFIED,
            channel=Channel.PAD,
            pad=enrolled_pad(town, town.hall.w1),
            reasons=["attitude"],
            phone="139 1234 5678",
        )
    _close(rating.order, town)
    return ticket, rating


def test_the_slips_code_does_not_give_the_follow_up_of_a_visit_its_printer_served(town):
    ticket, rating = _complaint_against_wendy(town)
    page = f"/ratings/visit/{ticket.token}/"
    with time_machine.travel(at("2023-03-14 09:00"), tick=False):
        shown = Client().get(page).content.decode()
        posted = Client().post(page, {"level": "5"})
        with pytest.raises(ratings.NotAllowed):
            ratings.follow_up(rating, None, level=Level.VERY_SATISFIED, channel=Channel.QR)
    assert 'data-testid="follow-up-form"' not in shown
    assert 'data-testid="follow-up-elsewhere"' in shown
    assert posted.status_code == 409
    rating.refresh_from_db()
    assert rating.state == RatingState.RECTIFYING and rating.follow_up_level is None


def test_the_link_texted_to_the_citizens_number_still_gives_it(town):
    ticket, rating = _complaint_against_wendy(town)
    path = f"/ratings/r/{links.sms_token(ticket)}/"  # as the follow-up worker texts it
    with time_machine.travel(at("2023-03-14 09:00"), tick=False):
        assert 'data-testid="follow-up-form"' in Client().get(path).content.decode()
        Client().post(path, {"level": "2", "comment": "态度没变"})
    rating.refresh_from_db()
    assert rating.follow_up_level == Level.DISSATISFIED


def test_an_ordinary_slips_code_still_gives_the_follow_up(town):
    ticket = _serve(town, _issue(town, actor=town.hall.walt))  # Walt at reception, Wendy serves
    with time_machine.travel(at("2023-03-09 10:14"), tick=False):
        rating = ratings.rate(
            ticket, None, level=Level.DISSATISFIED, channel=Channel.QR, reasons=["waiting"]
        )
    _close(rating.order, town)
    with time_machine.travel(at("2023-03-14 09:00"), tick=False):
        Client().post(f"/ratings/visit/{ticket.token}/", {"level": "4"})
    rating.refresh_from_db()
    assert rating.follow_up_level == Level.SATISFIED
