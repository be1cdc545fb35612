"""A service centre with two matters, three windows and named people.

- 大宁路街道社区事务受理服务中心 is the hall; 居住证 is called as A, 老年综合津贴 as B.
- Wendy (window 1, comprehensive: both matters) and Walt (window 2, 居住证 only) are window clerks;
  Hugo is the hall manager. Una (江宁路街道 unit handler) works elsewhere and may do nothing here.
- Unless a test travels elsewhere, it runs on Thursday 2023-03-09 from 10:00 (time ticking): the
  windows are open, so a ticket may be given (none is outside the hall's hours).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import (
    Appointment,
    AppointmentSlot,
    Hall,
    Ticket,
    Window,
    WindowKind,
    WindowMatter,
)
from hotline.matters.models import Material, Matter
from hotline.org.models import Role, Unit, UnitKind, User
from tests.conftest import District, at, make_user


@dataclass
class HallTown:
    district: District
    hall: Hall
    residence: Matter  # 居住证, queue A
    allowance: Matter  # 老年综合津贴, queue B
    w1: Window
    w2: Window
    w3: Window
    wendy: User
    walt: User
    hugo: User


def make_hall(district: District, code: str = "dnl", **settings) -> HallTown:
    centre = Unit.objects.create(
        code=f"{code}-centre",
        name="大宁路街道社区事务受理服务中心" if code == "dnl" else f"{code}服务中心",
        kind=UnitKind.SERVICE_CENTRE,
        parent=district.street,
    )
    hall = Hall.objects.create(unit=centre, code=code, **settings)
    residence, _ = Matter.objects.get_or_create(
        code="jzz", defaults={"name": "居住证办理", "queue_group": "A", "service_minutes": 10}
    )
    allowance, _ = Matter.objects.get_or_create(
        code="lnjt", defaults={"name": "老年综合津贴申请", "queue_group": "B", "service_minutes": 6}
    )
    Material.objects.get_or_create(matter=residence, name="居民身份证")
    w1 = Window.objects.create(hall=hall, number=1, kind=WindowKind.COMPREHENSIVE)
    w2 = Window.objects.create(hall=hall, number=2, kind=WindowKind.SPECIALIST)
    w3 = Window.objects.create(hall=hall, number=3, kind=WindowKind.COMPREHENSIVE)
    WindowMatter.objects.create(window=w1, matter=residence, weight=1)
    WindowMatter.objects.create(window=w1, matter=allowance, weight=2)
    WindowMatter.objects.create(window=w2, matter=residence, weight=1)
    WindowMatter.objects.create(window=w3, matter=residence, weight=1)
    WindowMatter.objects.create(window=w3, matter=allowance, weight=1)
    return HallTown(
        district=district,
        hall=hall,
        residence=residence,
        allowance=allowance,
        w1=w1,
        w2=w2,
        w3=w3,
        wendy=make_user(f"wendy-{code}", centre, Role.HALL_CLERK),
        walt=make_user(f"walt-{code}", centre, Role.HALL_CLERK),
        hugo=make_user(f"hugo-{code}", centre, Role.HALL_MANAGER),
    )


def opening_hours() -> time_machine.travel:
    """Thursday 2023-03-09 from 10:00, ticking: the windows are open, so tickets may be given.
    For tests about the queue, not the clock (the browser tests' halls use it too)."""
    return time_machine.travel(at("2023-03-09 10:00"), tick=True)


@pytest.fixture(autouse=True)
def _during_opening_hours():
    with opening_hours():
        yield


@pytest.fixture
def town(district) -> HallTown:
    return make_hall(district)


BOOKING_PHONE = "13912345678"


def a_no_show(town: HallTown) -> Ticket:
    """A 居住证 ticket called at 09:30 at window 2 and marked a no-show at 09:40 (the hall's
    timeout since the call), with 30 minutes to get the place back."""
    from hotline.hall import actions

    town.hall.reactivate_minutes = 30
    town.hall.save()
    with time_machine.travel(at("2023-03-09 09:30"), tick=False):
        actions.sign_in(town.w2, town.walt)
        ticket = actions.issue(town.hall, town.residence)
        actions.call_next(town.w2, town.walt)
    with time_machine.travel(at("2023-03-09 09:40"), tick=False):
        actions.no_show(ticket, town.walt)
    return ticket


def open_slot(town: HallTown, day: dt.date, *, capacity: int = 1) -> AppointmentSlot:
    """The hall's 居住证 slot 09:00–09:30 on ``day``, with ``capacity`` places."""
    (slot,) = booking.open_slots(
        town.hall, town.residence, day,
        starts=dt.time(9), ends=dt.time(9, 30), minutes=30, capacity=capacity,
    )  # fmt: skip
    return slot


@pytest.fixture
def slot(town) -> AppointmentSlot:
    """Friday 2023-03-10 09:00, one place."""
    return open_slot(town, dt.date(2023, 3, 10))


@pytest.fixture
def appointment(slot) -> Appointment:
    """张三 (BOOKING_PHONE) took Friday's only 09:00 place on Thursday at 15:00."""
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        return booking.book(slot, holder_key=holder_key(phone=BOOKING_PHONE), holder_name="张三")


@pytest.fixture
def four_pm():
    """Thursday 16:00, the clock stopped: after the booking, before Friday's slot."""
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        yield


def enrolled_browser(kiosk, by: User, **defaults):
    """A browser (a test client) the hall manager ``by`` enrolled as ``kiosk``: it holds the
    kiosk's cookie (hotline.hall.devices), as the manager's "Enrol this browser" leaves it."""
    from django.test import Client

    from hotline.hall import devices
    from hotline.hall.actions import selfservice

    token = selfservice.enrol(kiosk, actor=by)
    browser = Client(**defaults)
    browser.cookies[devices.COOKIE] = devices.cookie_value(kiosk, token)
    return browser
