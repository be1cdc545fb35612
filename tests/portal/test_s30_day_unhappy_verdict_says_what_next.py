"""Mr Qian says on the portal that he is not satisfied (不满意), and is told what happens next
(walk-through, session 30, h6).

The rated page said only that his verdict counts in the unit's assessment, and tracking the request
afterwards "Answered … Thank you: your verdict is recorded.": nothing said that the centre looks at
a 不满意 and may send the request back, so the citizen had nowhere to go. Mrs Feng, basically
satisfied (though not resolved: that closes the order), reads the page as before."""

from __future__ import annotations

from django.test import Client

from hotline.orders.models import State, WorkOrder
from hotline.portal.tokens import rating_token
from tests.portal.test_portal import replied_and_approved, submit, submitted_number, track

WHAT_NEXT = "The hotline centre looks at every such verdict and decides whether the unit must"


def _answered(citizen: Client, district, phone: str) -> WorkOrder:
    number = submitted_number(citizen, submit(citizen, district, phone=phone))
    order = WorkOrder.objects.get(number=number)
    replied_and_approved(order, district)
    return order


def test_mr_qian_dissatisfied_is_told_the_centre_decides_what_next(district):
    qian = Client(HTTP_ACCEPT_LANGUAGE="en")
    order = _answered(qian, district, "13524107788")
    rated = qian.post(
        f"/portal/rate/{rating_token(order)}/", {"resolved": "no", "satisfaction": "dissatisfied"}
    ).content.decode()
    assert 'data-testid="what-next"' in rated and WHAT_NEXT in rated
    assert 'data-testid="track-again"' in rated

    order.refresh_from_db()
    assert order.state == State.REVIEWED  # the centre decides (CALLBACK_DISSATISFIED=review)
    tracked = track(qian, order.number, "13524107788").content.decode()
    assert 'data-testid="rated"' in tracked and WHAT_NEXT in tracked


def test_mr_qian_dissatisfied_is_told_the_request_goes_back_when_it_reopens(district, settings):
    settings.CALLBACK_DISSATISFIED = "reopen"
    qian = Client(HTTP_ACCEPT_LANGUAGE="en")
    order = _answered(qian, district, "13524107788")
    rated = qian.post(
        f"/portal/rate/{rating_token(order)}/", {"resolved": "yes", "satisfaction": "dissatisfied"}
    ).content.decode()
    assert "the request goes back to the unit to be handled again" in rated
    order.refresh_from_db()
    assert order.state == State.REOPENED


def test_mrs_feng_basically_satisfied_reads_the_thanks_alone(district):
    feng = Client(HTTP_ACCEPT_LANGUAGE="en")
    order = _answered(feng, district, "13817263540")
    verdict = {"resolved": "no", "satisfaction": "basically_satisfied"}
    rated = feng.post(f"/portal/rate/{rating_token(order)}/", verdict).content.decode()
    assert "Thank you for your verdict" in rated
    assert 'data-testid="what-next"' not in rated and 'data-testid="track-again"' not in rated
