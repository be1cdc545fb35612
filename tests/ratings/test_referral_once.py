"""办不成事 as a tired clerk sends it: the page refreshed after sending, or Back and send again,
registers one 12345 order; what was made is shown after the redirect; a note with markup stays
text."""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders.models import WorkOrder
from hotline.ratings.models import HallReferral
from tests.conftest import at
from tests.forms import logged_in, sent_twice

pytestmark = pytest.mark.django_db


def test_sending_the_form_twice_makes_one_order(town):
    wendy = logged_in(town.hall.wendy)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        data = {"what": "居住证", "why": "系统故障"}
        first, again = sent_twice(wendy, "/ratings/cannot-do/", data)
        # Sent: the page moves on (a refresh then reloads it instead of posting again).
        assert first.status_code == 302
        page = wendy.get(first["Location"]).content.decode()
    order = WorkOrder.objects.get()
    assert 'data-testid="referral-made"' in page and order.number in page
    # Back and send again: the same token answers with the first order.
    assert again.status_code == 200 and order.number in again.content.decode()
    assert WorkOrder.objects.count() == 1 and HallReferral.objects.count() == 1


def test_another_halls_order_number_in_the_address_shows_nothing(town):
    wendy = logged_in(town.hall.wendy)
    page = wendy.get("/ratings/cannot-do/", {"made": "20230309-000001"}).content.decode()
    assert 'data-testid="referral-made"' not in page


def test_markup_in_the_note_is_shown_as_text(town):
    wendy = logged_in(town.hall.wendy)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        sent = wendy.post(
            "/ratings/cannot-do/",
            {"what": "<script>alert(1)</script>居住证", "why": "x" * 2000},
            follow=True,
        )
    page = sent.content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
