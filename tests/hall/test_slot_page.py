"""Hugo, the 大宁路 hall manager, keeps his hall's appointment slots on his own page, a week at a
time, instead of asking the admin: he opens slots for a range of days and times, changes a
capacity, closes a slot no live booking holds, and copies the week to the next. The page checks
what the admin checks (end after start, capacity at least 1, inside the hours, working days,
matters that take appointments) and leaves out what cannot be kept, with why. Walt (a clerk) is
refused; the jazw manager Xavier finds 大宁路's slots by id no more than slots that do not
exist (404)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentSlot, SlotEvent
from tests.conftest import at
from tests.hall.conftest import make_hall, open_slot

pytestmark = pytest.mark.django_db

# Thursday 2023-03-09; the week shown is Monday 03-13 to Sunday 03-19.
NEXT_WEEK = "2023-03-13"


@pytest.fixture(autouse=True)
def _thursday():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


@pytest.fixture
def hugo(client, town):
    client.force_login(town.hugo)
    return client


def _add(client, town, **fields):
    data = {
        "matter": town.residence.pk,
        "first_day": "2023-03-13",
        "last_day": "2023-03-19",
        "starts": "09:00",
        "ends": "10:00",
        "minutes": "30",
        "capacity": "3",
    } | fields
    return client.post(f"/hall/dnl/manage/slots/add?week={NEXT_WEEK}", data)


def test_hugo_opens_a_weeks_slots_on_working_days_only(hugo, town):
    response = _add(hugo, town)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?week={NEXT_WEEK}")
    days = sorted({s.day for s in AppointmentSlot.objects.all()})
    assert days == [dt.date(2023, 3, d) for d in (13, 14, 15, 16, 17)]  # not Sat/Sun
    assert AppointmentSlot.objects.count() == 10  # 09:00 and 09:30, five days
    assert {s.capacity for s in AppointmentSlot.objects.all()} == {3}
    assert SlotEvent.objects.filter(actor=town.hugo, action="open").count() == 10  # who opened

    week = hugo.get(f"/hall/dnl/manage/slots/?week={NEXT_WEEK}", HTTP_ACCEPT_LANGUAGE="en")
    [(matter, cells)] = week.context["week"]
    assert matter == town.residence
    assert [(n, held, capacity) for _day, n, held, capacity, _closed in cells] == [
        (2, 0, 6)
    ] * 5 + [(0, 0, 0)] * 2
    assert "0 of 6" in week.content.decode()

    again = _add(hugo, town)  # the same form sent twice: kept, nothing doubled
    assert again.status_code == 302 and AppointmentSlot.objects.count() == 10


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"starts": "10:00", "ends": "09:00"}, "ends"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-3"}, "capacity"),
        ({"minutes": "0"}, "minutes"),
        ({"first_day": "2023-03-19", "last_day": "2023-03-13"}, "last_day"),
        ({"first_day": "2023-03-01", "last_day": "2023-03-02"}, "first_day"),  # passed
        ({"last_day": "2024-03-13"}, "last_day"),  # a year of slots in one go
        ({"first_day": "99999-01-01"}, "first_day"),
        ({"matter": "1 OR 1=1"}, "matter"),
    ],
)
def test_a_range_that_cannot_be_kept_is_refused_with_its_reason(hugo, town, fields, field):
    response = _add(hugo, town, **fields)
    assert response.status_code == 422
    assert field in response.context["form"].errors, response.context["form"].errors
    assert AppointmentSlot.objects.count() == 0


def test_slots_outside_the_hours_or_on_a_closed_day_are_left_out_with_why(hugo, town):
    response = _add(hugo, town, starts="16:00", ends="17:30")
    assert response.status_code == 302
    # 16:00 and 16:30 fit; 17:00–17:30 is after the windows close.
    assert sorted({s.starts for s in AppointmentSlot.objects.all()}) == [
        dt.time(16),
        dt.time(16, 30),
    ]
    page = hugo.get(response["Location"]).content.decode()
    assert "未开放5个" in page  # five days, each its 17:00 slot: said once, with the days
    assert page.count("居住证办理 17:00 (03-13, 03-14, 03-15, 03-16, 03-17)：") == 1

    saturday = _add(hugo, town, first_day="2023-03-18", last_day="2023-03-18")
    assert saturday.status_code == 302
    assert not AppointmentSlot.objects.filter(day=dt.date(2023, 3, 18)).exists()


def test_a_matter_that_takes_no_appointments_is_not_offered(hugo, town):
    town.allowance.appointment_allowed = False
    town.allowance.save()
    response = _add(hugo, town, matter=str(town.allowance.pk))
    assert response.status_code == 422
    assert "matter" in response.context["form"].errors
    assert AppointmentSlot.objects.count() == 0


@pytest.fixture
def booked_slot(town):
    """Monday 09:00, capacity 3, two people booked."""
    slot = open_slot(town, dt.date(2023, 3, 13), capacity=3)
    for phone in ("13900000001", "13900000002"):
        booking.book(slot, holder_key=holder_key(phone=phone))
    return slot


def test_a_capacity_goes_down_to_the_bookings_and_no_further(hugo, town, booked_slot):
    url = f"/hall/dnl/manage/slots/{booked_slot.pk}/capacity"
    assert hugo.post(url, {"capacity": "2"}).status_code == 302
    booked_slot.refresh_from_db()
    assert booked_slot.capacity == 2
    for bad in ("1", "0", "abc", "", "1e3", "99999"):
        response = hugo.post(url, {"capacity": bad}, follow=True)
        assert response.status_code == 200
        booked_slot.refresh_from_db()
        assert booked_slot.capacity == 2, bad
    assert (
        "2 people have booked this time"
        in hugo.post(
            url, {"capacity": "1"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    )


def test_a_slot_with_bookings_is_not_closed_and_says_why(hugo, town, booked_slot):
    response = hugo.post(
        f"/hall/dnl/manage/slots/{booked_slot.pk}/close", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "2 people have booked this time: it cannot be closed" in response.content.decode()
    assert AppointmentSlot.objects.filter(pk=booked_slot.pk).exists()


def test_a_slot_nobody_booked_is_closed(hugo, town):
    slot = open_slot(town, dt.date(2023, 3, 13))
    assert hugo.post(f"/hall/dnl/manage/slots/{slot.pk}/close").status_code == 302
    assert not AppointmentSlot.objects.filter(pk=slot.pk).exists()  # no longer offered
    assert AppointmentSlot.history.get(pk=slot.pk).closed_at is not None  # kept, closed
    # Sent again (a double click): closed once, one event.
    assert hugo.post(f"/hall/dnl/manage/slots/{slot.pk}/close").status_code == 302
    assert SlotEvent.objects.filter(slot=slot, action="close").count() == 1


def test_the_week_is_copied_to_the_next(hugo, town, booked_slot):
    open_slot(town, dt.date(2023, 3, 14), capacity=5)
    response = hugo.post("/hall/dnl/manage/slots/copy-week", {"week": "2023-03-15"})
    assert response.status_code == 302 and response["Location"].endswith("?week=2023-03-20")
    copies = AppointmentSlot.objects.filter(day__gte=dt.date(2023, 3, 20))
    assert sorted((s.day, s.capacity) for s in copies) == [
        (dt.date(2023, 3, 20), 3),
        (dt.date(2023, 3, 21), 5),
    ]
    assert all(s.appointments.count() == 0 for s in copies)  # slots, not bookings


def test_the_week_shows_capacity_booked_and_free(hugo, town, booked_slot):
    response = hugo.get("/hall/dnl/manage/slots/?week=2023-03-16")  # any day of the week
    assert response.status_code == 200
    assert response.context["monday"] == dt.date(2023, 3, 13)
    [(_matter, cells)] = response.context["week"]
    assert cells[0][1:] == (1, 2, 3, 0)  # Monday: one slot, 2 of 3 booked, none closed
    detail = hugo.get("/hall/dnl/manage/slots/?week=2023-03-16&day=2023-03-13&matter=jzz")
    [slot] = detail.context["detail"]
    assert (slot.capacity, slot.held, slot.free) == (3, 2, 1)
    for bad in ("day=2023-03-20&matter=jzz", "day=x&matter=jzz", "day=2023-03-13&matter=<b>"):
        assert hugo.get(f"/hall/dnl/manage/slots/?week=2023-03-13&{bad}").context["detail"] == []
    for bad in ("2023-02-30", "tomorrow", "0001-01-01", "9999-12-31"):
        assert hugo.get(f"/hall/dnl/manage/slots/?week={bad}").status_code == 400


def test_only_the_halls_manager_and_only_his_halls_slots(client, town, district, booked_slot):
    other = make_hall(district, code="jazw")
    client.force_login(town.walt)  # a clerk of the same hall
    assert client.get("/hall/dnl/manage/slots/").status_code == 403
    assert client.post(f"/hall/dnl/manage/slots/{booked_slot.pk}/close").status_code == 403
    client.force_login(other.hugo)  # jazw's manager
    assert client.get("/hall/dnl/manage/slots/").status_code == 403
    assert client.get("/hall/jazw/manage/slots/").status_code == 200
    for action in ("close", "capacity"):
        url = f"/hall/jazw/manage/slots/{booked_slot.pk}/{action}"
        assert client.post(url, {"capacity": "9"}).status_code == 404
    booked_slot.refresh_from_db()
    assert booked_slot.capacity == 3
    assert (
        client.post("/hall/jazw/manage/slots/copy-week", {"week": "2023-03-13"}).status_code == 302
    )
    assert not AppointmentSlot.objects.filter(hall=other.hall).exists()
