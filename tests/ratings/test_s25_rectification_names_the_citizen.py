"""The rectification order of a 差评 names the citizen (walk-through, session 25, B-L5): its
caller was "—" although the ticket and the case name the applicant, so the unit called without a
name. The order carries the ticket's name (else its case's applicant's), masked per role on the
pages as every order's caller."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.models import Ticket
from hotline.ratings import actions
from hotline.ratings.models import Channel, Level
from tests.conftest import at
from tests.ratings.conftest import enrolled_pad
from tests.ratings.test_rectification import _bad

pytestmark = pytest.mark.django_db


def test_the_order_carries_the_tickets_name(town):
    ticket = town.serve("2023-03-09 10:00")
    Ticket.objects.filter(pk=ticket.pk).update(holder_name="王建国")
    ticket.refresh_from_db()
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        rating = actions.rate(
            ticket,
            None,
            level=Level.DISSATISFIED,
            channel=Channel.PAD,
            pad=enrolled_pad(town, town.hall.w1),
            reasons=["waiting"],
            phone="139 1234 5678",
        )
    assert rating.order.citizen_name == "王建国"


def test_a_ticket_without_a_name_leaves_the_caller_blank(town):
    _ticket, rating = _bad(town)
    assert rating.order.citizen_name == ""
