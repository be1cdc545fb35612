"""``hotline demo --reset`` empties 帮办 / 代办 records and the ratings with the halls and orders
they point at (ratings go with the orders' purge, records with their own hook)."""

from __future__ import annotations

import pytest
import time_machine

from hotline.assistance import actions
from hotline.assistance.models import Assistance, AssistanceEvent
from hotline.org import demo
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel, Rating
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_the_demo_reset_removes_records_ratings_and_their_orders(district):
    from tests.hall.conftest import make_hall
    from tests.ratings.conftest import RatedTown

    place = make_hall(district)
    town = RatedTown(hall=place, rita=place.hugo)
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        ratings.rate(ticket, None, level=1, channel=Channel.QR, reasons=["attitude"])
        actions.start_help(place.hall, place.wendy, matters=[place.residence], ticket=ticket)
    demo.reset()
    assert not Assistance.objects.exists() and not AssistanceEvent.objects.exists()
    assert not Rating.objects.exists()
