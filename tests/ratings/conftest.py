"""A served visit to rate, in the hall of tests/hall (大宁路街道社区事务受理服务中心).

- Wendy (window 1) serves the citizens; Hugo manages the hall; Rita handles the hotline's work
  orders for the service centre (its unit handler), so a 差评's rectification lands in her inbox.
- Sam (the centre's supervisor) reviews the hall's appeals; Dan dispatches, Cathy calls back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from hotline.hall import actions as hall
from hotline.hall.models import Ticket, Window
from hotline.org.models import Role, User
from tests.conftest import at, make_user
from tests.hall.conftest import HallTown, make_hall


@dataclass
class RatedTown:
    hall: HallTown
    rita: User

    def serve(
        self, when: str, *, window: Window | None = None, clerk: User | None = None
    ) -> Ticket:
        """A citizen takes a ticket and is served for ten minutes, finishing at ``when``."""
        window = window or self.hall.w1
        clerk = clerk or self.hall.wendy
        end = at(when)
        with time_machine.travel(end - dt.timedelta(minutes=12), tick=False):
            ticket = hall.issue(self.hall.hall, self.hall.residence)
            if window.clerk_id != clerk.pk:
                hall.sign_in(window, clerk)
            called = hall.call_next(window, clerk)
            assert called is not None and called.pk == ticket.pk
        with time_machine.travel(end - dt.timedelta(minutes=10), tick=False):
            hall.start(called, clerk)
        with time_machine.travel(end, tick=False):
            hall.finish(called, clerk)
        called.refresh_from_db()
        return called


@pytest.fixture
def town(district) -> RatedTown:
    place = make_hall(district)
    rita = make_user("rita", place.hall.unit, Role.UNIT_HANDLER)
    return RatedTown(hall=place, rita=rita)


def pad_browser(window: Window, by: User, **defaults):
    """A browser (a test client) the hall manager ``by`` enrolled as ``window``'s rating pad: it
    holds the pad's cookie, as the manager's "Enrol this browser" leaves it."""
    from django.test import Client

    from hotline.ratings import actions
    from hotline.ratings.pad import PAD

    device, token = actions.enrol_pad(window, actor=by)
    browser = Client(**defaults)
    browser.cookies[PAD.cookie] = PAD.cookie_value(device, token)
    return browser


def enrolled_pad(town: RatedTown, window: Window):
    """``window``'s rating pad, enrolled by the hall's manager (as the pad page passes it)."""
    from hotline.ratings import actions

    return actions.enrol_pad(window, actor=town.hall.hugo)[0]


def approved_rectification(town: RatedTown, district, served: str, rated: str, *, phone: str = ""):
    """A 差评 at window 1's pad on Thursday 2026-12-03 (served at ``served``, rated at
    ``rated``, with ``phone`` left or none), its rectification order rectified and replied by Rita
    and approved by Dan on Friday morning: it waits for the callback."""
    from hotline.orders import actions as orders
    from hotline.orders.models import ContactWay, ReplyResult
    from hotline.ratings import actions
    from hotline.ratings.models import Channel, Level

    ticket = town.serve(f"2026-12-03 {served}")
    with time_machine.travel(at(f"2026-12-03 {rated}"), tick=False):
        rating = actions.rate(
            ticket,
            None,
            level=Level.DISSATISFIED,
            channel=Channel.PAD,
            pad=enrolled_pad(town, town.hall.w1),
            reasons=["waiting"],
            comment="排了两个小时",
            phone=phone,
        )
    order = rating.order
    with time_machine.travel(at("2026-12-04 09:00"), tick=False):
        orders.accept(order, town.rita)
        orders.first_contact(order, town.rita, way=ContactWay.PHONE, note="已致歉")
        orders.reply(order, town.rita, result=ReplyResult.RESOLVED, text="已增开居住证窗口。")
        orders.approve_reply(order, district.dan)
    order.refresh_from_db()
    return order
