"""A month of 江宁路街道's orders with known outcomes (March 2023), built through the actions.

| order | what happened                                                                      |
|-------|------------------------------------------------------------------------------------|
| A     | dispatched 03-01, signed for on time, contacted, replied on time, satisfied        |
| B     | dispatched 03-06, signed for late, overdue, replied late, dissatisfied, reopened   |
| C     | dispatched 03-09, extension of 3 days approved, reply 03-17 on time, basically     |
| D     | dispatched to 区民政局, returned, approved to the street 03-10, signed for on time |
| E     | dispatched to the street, then cancelled: left out                                 |
| F     | dispatched to the street, then merged into A: left out                             |
| G     | dispatched and accepted in February, contacted, replied 03-01, called back April  |
| H     | dispatched to 三和花园居委会 03-15, signed for, replied on time without contact       |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from hotline.orders import actions
from hotline.orders.models import ContactWay, ReplyResult, Satisfaction, WorkOrder
from tests.conftest import District, at
from tests.orders.factory import new_order

MARCH = (at("2023-03-01 00:00"), at("2023-04-01 00:00"))


@dataclass
class March:
    a: WorkOrder
    b: WorkOrder
    c: WorkOrder
    d: WorkOrder
    e: WorkOrder
    f: WorkOrder
    g: WorkOrder
    h: WorkOrder


class Story:
    """Acts on one order at given Shanghai times: ``story.at("2023-03-01 10:00").accept(una)``."""

    def __init__(self, d: District, when: str, **fields) -> None:
        self.d = d
        with time_machine.travel(at(when), tick=False):
            self.order = new_order(d, **fields)

    def do(self, when: str, action: str, *args, **kwargs) -> Story:
        kwargs.setdefault("now", at(when))
        getattr(actions, action)(self.order, *args, **kwargs)
        return self

    def handled(self, unit_user, dispatched: str, accepted: str) -> Story:
        d = self.d
        unit = unit_user.unit
        return self.do(dispatched, "dispatch", d.dan, lead_unit=unit).do(
            accepted, "accept", unit_user
        )

    def replied(self, user, when: str, reviewed: str) -> Story:
        self.do(when, "reply", user, result=ReplyResult.RESOLVED, text="已处理。")
        return self.do(reviewed, "approve_reply", self.d.dan)

    def called_back(self, when: str, *, resolved: bool, satisfaction: str) -> Story:
        return self.do(when, "callback", self.d.cathy, resolved=resolved, satisfaction=satisfaction)


def march_story(d: District) -> March:
    una, dan = d.una, d.dan
    a = Story(d, "2023-03-01 09:00").handled(una, "2023-03-01 10:00", "2023-03-01 11:00")
    a.do("2023-03-01 12:00", "first_contact", una, way=ContactWay.PHONE)
    a.replied(una, "2023-03-02 10:00", "2023-03-02 11:00")
    a.called_back("2023-03-03 10:00", resolved=True, satisfaction=Satisfaction.SATISFIED)

    b = Story(d, "2023-03-06 09:00").handled(una, "2023-03-06 10:00", "2023-03-08 10:00")
    b.order.refresh_from_db()
    actions.mark_overdue(b.order, now=at("2023-03-14 09:00"))
    b.replied(una, "2023-03-20 10:00", "2023-03-20 11:00")
    b.called_back("2023-03-21 10:00", resolved=False, satisfaction=Satisfaction.DISSATISFIED)
    b.do("2023-03-21 11:00", "reopen", d.sam, reason="市民反映仍未解决")

    c = Story(d, "2023-03-09 09:00").handled(una, "2023-03-09 10:00", "2023-03-09 11:00")
    c.do("2023-03-09 12:00", "first_contact", una, way=ContactWay.VISIT)
    c.do("2023-03-10 10:00", "request_extension", una, days=3, reason="需协调物业")
    c.do("2023-03-10 11:00", "approve_extension", dan)
    c.replied(una, "2023-03-17 10:00", "2023-03-17 11:00")
    c.called_back("2023-03-20 10:00", resolved=True, satisfaction=Satisfaction.BASICALLY_SATISFIED)

    dd = Story(d, "2023-03-10 09:00").handled(d.victor, "2023-03-10 10:00", "2023-03-10 11:00")
    dd.do("2023-03-10 12:00", "request_return", d.victor, reason="属街道管理")
    dd.do("2023-03-10 15:00", "approve_return", dan, lead_unit=d.street)
    dd.do("2023-03-13 09:00", "accept", una)

    e = Story(d, "2023-03-11 09:00").do("2023-03-11 10:00", "dispatch", dan, lead_unit=d.street)
    e.do("2023-03-11 11:00", "accept", una)
    e.do("2023-03-11 12:00", "cancel", d.sam, reason="恶意骚扰")

    f = Story(d, "2023-03-12 09:00").do("2023-03-12 10:00", "dispatch", dan, lead_unit=d.street)
    f.do("2023-03-12 11:00", "merge", dan, parent=a.order)

    g = Story(d, "2023-02-27 09:00").handled(una, "2023-02-27 10:00", "2023-02-27 11:00")
    g.do("2023-02-27 12:00", "first_contact", una, way=ContactWay.PHONE)
    g.replied(una, "2023-03-01 10:00", "2023-03-01 11:00")
    g.called_back("2023-04-03 10:00", resolved=True, satisfaction=Satisfaction.SATISFIED)

    h = Story(d, "2023-03-15 09:00").handled(d.una_nb, "2023-03-15 10:00", "2023-03-15 11:00")
    h.replied(d.una_nb, "2023-03-16 10:00", "2023-03-16 11:00")

    return March(a.order, b.order, c.order, dd.order, e.order, f.order, g.order, h.order)


@pytest.fixture
def march(district) -> March:
    return march_story(district)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
