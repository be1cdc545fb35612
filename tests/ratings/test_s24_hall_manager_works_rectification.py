"""A new hall set up with only the 大厅管理员 role: its manager opens and signs for the 差评's
rectification order its own service centre holds (walk-through, session 24, H1: the manager's
link from the ratings page was a 404, and the street above signed for the hall's order)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hotline.orders.models import State
from hotline.ratings import actions
from hotline.ratings.models import Channel as RatingChannel
from hotline.ratings.models import Level
from tests.conftest import at
from tests.hall.conftest import make_hall
from tests.ratings.conftest import RatedTown, enrolled_pad

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(district) -> RatedTown:
    # No unit handler at the service centre: only Hugo, its hall manager.
    return RatedTown(hall=make_hall(district), rita=None)  # type: ignore[arg-type]


def _bad_rating(town: RatedTown):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        rating = actions.rate(
            ticket,
            None,
            level=Level.VERY_DISSATISFIED,
            channel=RatingChannel.PAD,
            pad=enrolled_pad(town, town.hall.w1),
            reasons=["waiting"],
            comment="等了一整天",
        )
    return rating.order


def test_the_hall_manager_alone_opens_and_signs_for_the_rectification_order(town):
    order = _bad_rating(town)
    hugo = town.hall.hugo
    assert order.assigned_unit == hugo.unit
    browser = Client()
    browser.force_login(hugo)
    with time_machine.travel(at("2023-03-09 10:30"), tick=False):
        assert browser.get(reverse("order_detail", args=[order.number])).status_code == 200
        inbox = browser.get(reverse("unit_inbox"))
        assert inbox.status_code == 200
        assert order.number in inbox.content.decode()
        signed = browser.post(
            reverse("order_act", args=[order.number, "accept"]),
            {"version": order.version},
            HTTP_HX_REQUEST="true",
        )
    assert signed.status_code == 200
    order.refresh_from_db()
    assert order.state == State.ACCEPTED
    assert order.events.last().actor == hugo


def test_the_street_no_longer_signs_for_a_centre_with_a_manager(town):
    order = _bad_rating(town)
    una = town.hall.district.una  # 江宁路街道, the street above the centre
    browser = Client()
    browser.force_login(una)
    with time_machine.travel(at("2023-03-09 10:30"), tick=False):
        inbox = browser.get(reverse("unit_inbox") + "?tab=to_accept")
    assert order.number not in inbox.content.decode()


def test_the_admin_is_warned_when_nobody_can_work_a_halls_orders(district, admin_client):
    place = make_hall(district)
    url = reverse("admin:hall_hall_change", args=[place.hall.pk])
    assert "Nobody in" not in admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    place.hugo.role_grants.all().delete()
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nobody in" in page
