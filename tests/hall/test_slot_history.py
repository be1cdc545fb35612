"""Hugo's appointment slots are a history, as the hall's other writes are.

- A slot whose bookings were all cancelled is closed like an empty one (before, it counted them as
  bookings held and refused): only live bookings (booked, checked in) hold a slot open. Closing
  keeps the slot, closed, with the cancelled bookings readable in the day's appointments; the
  booking page no longer offers it, and the same time can be opened again as a new slot.
- A slot whose time has begun is not changed: its capacity and its closing are refused with why,
  by the action, on the page's POST (the page shows no control) and in the admin.
- Every change is an event (opened, copied, capacity changed, closed: who, when, capacity before
  and after, the reason when one is given), shown on the slot page for the day; the admin's
  changes go through the same path.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from hotline.hall.actions import appointments as booking
from hotline.hall.actions import slots
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, AppointmentSlot, AppointmentState, SlotEvent
from hotline.hall.rules import InvalidTransition
from hotline.org.models import User
from tests.conftest import at
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2023, 3, 13)


@pytest.fixture(autouse=True)
def _thursday():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


@pytest.fixture
def hugo(client, town):
    client.force_login(town.hugo)
    return client


def _page(client, day=MONDAY, matter="jzz"):
    return client.get(
        f"/hall/dnl/manage/slots/?week={day:%Y-%m-%d}&day={day:%Y-%m-%d}&matter={matter}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_slot_whose_bookings_were_all_cancelled_is_closed_and_keeps_them(hugo, town):
    slot = open_slot(town, MONDAY, capacity=3)
    codes = []
    for phone in ("13900000001", "13900000002"):
        appointment = booking.book(slot, holder_key=holder_key(phone=phone))
        booking.cancel(appointment)
        codes.append(appointment.code)

    response = hugo.post(
        f"/hall/dnl/manage/slots/{slot.pk}/close",
        {"reason": "  Clerk on leave\r\nthat morning "},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "closed." in response.content.decode()
    closed = AppointmentSlot.history.get(pk=slot.pk)
    assert closed.closed_at == at("2023-03-09 10:00")
    assert not AppointmentSlot.objects.filter(pk=slot.pk).exists()  # not offered any more
    assert sorted(a.code for a in closed.appointments.all()) == sorted(codes)
    assert {a.state for a in closed.appointments.all()} == {AppointmentState.CANCELLED}

    # The day's appointments still list the cancelled bookings; the slot page shows it closed.
    day = hugo.get(f"/hall/dnl/appointments/?day={MONDAY:%Y-%m-%d}").content.decode()
    assert all(code in day for code in codes)
    page = _page(hugo)
    [row] = page.context["detail"]
    assert row.pk == slot.pk and row.gone == 2 and row.held == 0
    assert 'data-testid="slot-closed"' in page.content.decode()

    # Nobody books it any more, not even with its id from an old page.
    with pytest.raises(InvalidTransition):
        booking.book(slot, holder_key=holder_key(phone="13900000003"))
    offered = hugo.get(f"/hall/dnl/book/?matter={town.residence.pk}")
    assert slot.pk not in [s.pk for s in offered.context["form"].fields["slot"].queryset]

    # The same time opened again is a new slot; the closed one stays with its history.
    slots.add_slots(
        town.hall,
        town.residence,
        first_day=MONDAY,
        last_day=MONDAY,
        starts=dt.time(9),
        ends=dt.time(9, 30),
        minutes=30,
        capacity=2,
        actor=town.hugo,
    )
    again = AppointmentSlot.objects.get(hall=town.hall, day=MONDAY, starts=dt.time(9))
    assert again.pk != slot.pk and again.capacity == 2
    assert AppointmentSlot.history.filter(day=MONDAY).count() == 2


def test_a_slot_with_a_live_booking_stays_open(town):
    slot = open_slot(town, MONDAY, capacity=3)
    booking.book(slot, holder_key=holder_key(phone="13900000001"))
    gone = booking.book(slot, holder_key=holder_key(phone="13900000002"))
    booking.cancel(gone)
    with pytest.raises(InvalidTransition):
        slots.close(slot, actor=town.hugo)
    assert AppointmentSlot.objects.filter(pk=slot.pk).exists()
    assert not SlotEvent.objects.filter(action="close").exists()


def test_a_booking_after_a_capacity_cut_reads_the_cut_not_its_stale_copy(town):
    """Review: booking compared with the capacity the form had read before the slot's lock."""
    from hotline.hall.rules import CapReached

    slot = open_slot(town, MONDAY, capacity=3)
    booking.book(slot, holder_key=holder_key(phone="13900000001"))
    booking.book(slot, holder_key=holder_key(phone="13900000002"))
    stale = AppointmentSlot.objects.get(pk=slot.pk)  # the citizen's form read 3
    slots.change_capacity(AppointmentSlot.objects.get(pk=slot.pk), 2, actor=town.hugo)
    with pytest.raises(CapReached):
        booking.book(stale, holder_key=holder_key(phone="13900000003"))
    assert slot.appointments.count() == 2


@pytest.fixture
def this_morning(town):
    """Today (Thursday) 09:00, begun an hour ago, one person booked yesterday."""
    with time_machine.travel(at("2023-03-08 12:00"), tick=False):
        slot = open_slot(town, dt.date(2023, 3, 9), capacity=3)
        booking.book(slot, holder_key=holder_key(phone="13900000001"))
    return slot


def test_a_begun_slots_capacity_is_refused_by_the_action(town, this_morning):
    with translation.override("en"):
        with pytest.raises(InvalidTransition, match="has begun"):
            slots.change_capacity(this_morning, 9, actor=town.hugo)
        with pytest.raises(InvalidTransition, match="has begun"):
            slots.close(this_morning, actor=town.hugo)
    this_morning.refresh_from_db()
    assert this_morning.capacity == 3 and this_morning.closed_at is None
    assert not SlotEvent.objects.exists()


def test_a_crafted_post_to_a_begun_slot_is_refused_on_the_page(hugo, town, this_morning):
    page = _page(hugo, day=dt.date(2023, 3, 9))
    assert 'data-action="capacity"' not in page.content.decode()  # no control shown
    response = hugo.post(
        f"/hall/dnl/manage/slots/{this_morning.pk}/capacity",
        {"capacity": "9"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "This time has begun" in response.content.decode()
    this_morning.refresh_from_db()
    assert this_morning.capacity == 3


@pytest.fixture
def ada(client, db):
    admin = User.objects.create_superuser("ada-admin", password="pw")
    client.force_login(admin)
    client.user = admin
    return client


def test_a_begun_slot_is_read_only_in_the_admin(ada, this_morning):
    url = reverse("admin:hall_appointmentslot_change", args=[this_morning.pk])
    assert ada.get(url).status_code == 200  # to read
    response = ada.post(
        url,
        {
            "hall": this_morning.hall_id,
            "matter": this_morning.matter_id,
            "day": "2023-03-09",
            "starts": "09:00",
            "ends": "09:30",
            "capacity": "9",
        },
    )
    assert response.status_code == 403
    this_morning.refresh_from_db()
    assert this_morning.capacity == 3


def test_each_change_is_an_event_shown_on_the_day(hugo, town):
    hugo.post(
        "/hall/dnl/manage/slots/add?week=2023-03-13",
        {
            "matter": town.residence.pk,
            "first_day": "2023-03-13",
            "last_day": "2023-03-13",
            "starts": "09:00",
            "ends": "10:00",
            "minutes": "30",
            "capacity": "3",
        },
    )
    nine, half_past = AppointmentSlot.objects.filter(day=MONDAY).order_by("starts")
    hugo.post(f"/hall/dnl/manage/slots/{nine.pk}/capacity", {"capacity": "5"})
    hugo.post(f"/hall/dnl/manage/slots/{half_past.pk}/close", {"reason": "Staff training"})
    hugo.post("/hall/dnl/manage/slots/copy-week", {"week": "2023-03-13"})

    assert [
        (e.slot_id, e.action, e.actor, e.from_capacity, e.to_capacity, e.reason)
        for e in SlotEvent.objects.filter(slot__day=MONDAY).order_by("pk")
    ] == [
        (nine.pk, "open", town.hugo, None, 3, ""),
        (half_past.pk, "open", town.hugo, None, 3, ""),
        (nine.pk, "capacity", town.hugo, 3, 5, ""),
        (half_past.pk, "close", town.hugo, 3, None, "Staff training"),
    ]
    [copy] = SlotEvent.objects.filter(action="copy")  # the closed slot is not copied
    assert (copy.copied_from, copy.to_capacity, copy.slot.day) == (nine, 5, dt.date(2023, 3, 20))
    assert all(e.at == at("2023-03-09 10:00") for e in SlotEvent.objects.all())

    page = _page(hugo)
    text = page.content.decode()
    assert [e.action for e in page.context["events"]] == ["close", "capacity", "open", "open"]
    assert "Capacity changed 3 → 5" in text
    assert "Staff training" in text and "hugo-dnl" in text


def test_the_admins_changes_go_through_the_same_path(ada, town):
    add = ada.post(
        reverse("admin:hall_appointmentslot_add"),
        {
            "hall": town.hall.pk,
            "matter": town.residence.pk,
            "day": "2023-03-13",
            "starts": "09:00",
            "ends": "09:30",
            "capacity": "4",
        },
    )
    assert add.status_code == 302
    slot = AppointmentSlot.objects.get()
    change = reverse("admin:hall_appointmentslot_change", args=[slot.pk])
    page = ada.get(change).content.decode()  # the slot's columns in order, capacity after its time
    assert page.index("field-hall") < page.index("field-ends") < page.index("field-capacity")
    data = {"capacity": "6", "events-TOTAL_FORMS": "1", "events-INITIAL_FORMS": "1"}
    assert ada.post(change, data).status_code == 302
    changelist = reverse("admin:hall_appointmentslot_changelist")
    ada.post(changelist, {"action": "close_slots", "_selected_action": [slot.pk]})
    assert [
        (e.action, e.actor, e.from_capacity, e.to_capacity)
        for e in SlotEvent.objects.order_by("pk")
    ] == [
        ("open", ada.user, None, 4),
        ("capacity", ada.user, 4, 6),
        ("close", ada.user, 6, None),
    ]
    # Nothing is deleted in the admin: closing keeps the slot.
    assert ada.post(reverse("admin:hall_appointmentslot_delete", args=[slot.pk])).status_code == 403
    assert AppointmentSlot.history.filter(pk=slot.pk).exists()


def test_the_days_slots_count_the_bookings_no_longer_held(hugo, town):
    """Cancelled, missed and turned away at check-in (they came outside the tolerance): the
    slot's history beside the places booked."""
    slot = open_slot(town, MONDAY, capacity=5)
    made = [booking.book(slot, holder_key=holder_key(phone=f"1390000000{n}")) for n in range(4)]
    booking.cancel(made[0])
    Appointment.objects.filter(pk=made[1].pk).update(state=AppointmentState.NO_SHOW)
    Appointment.objects.filter(pk=made[2].pk).update(state=AppointmentState.TURNED_AWAY)
    [row] = _page(hugo).context["detail"]
    assert (row.held, row.gone, row.free) == (1, 3, 4)


def test_a_closed_slot_selected_in_the_admins_copy_is_left_out_with_why(ada, town):
    """Before, the admin's copy passed over it without a word: 'copied 0, kept 0, left out 0'."""
    slot = open_slot(town, MONDAY, capacity=2)
    slots.close(slot, actor=None)
    changelist = reverse("admin:hall_appointmentslot_changelist")
    response = ada.post(
        changelist,
        {"action": "copy_to_next_week", "_selected_action": [slot.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    text = response.content.decode()
    assert "left out: 1" in text and "This time is closed." in text
    assert not AppointmentSlot.history.filter(day=MONDAY + dt.timedelta(days=7)).exists()


def test_the_admin_adding_a_time_already_open_says_so_beside_the_time(ada, town):
    """Review: the open-slot constraint hangs on closed_at, which the admin's form leaves out,
    so the second add of the same time reached the action, whose refusal was a 500."""
    data = {
        "hall": town.hall.pk,
        "matter": town.residence.pk,
        "day": "2023-03-13",
        "starts": "09:00",
        "ends": "09:30",
        "capacity": "4",
    }
    add = reverse("admin:hall_appointmentslot_add")
    assert ada.post(add, data).status_code == 302
    again = ada.post(add, data)
    assert again.status_code == 200
    assert again.context["adminform"].form.errors["starts"]
    assert AppointmentSlot.objects.count() == 1


def test_copying_the_week_again_leaves_a_time_closed_in_the_next_week_closed(hugo, town):
    """Review: managers run the copy again (it keeps what is there), and each run reopened the
    times they had closed in the following week."""
    hugo.post(
        "/hall/dnl/manage/slots/add?week=2023-03-13",
        {
            "matter": town.residence.pk,
            "first_day": "2023-03-13",
            "last_day": "2023-03-13",
            "starts": "09:00",
            "ends": "09:30",
            "minutes": "30",
            "capacity": "3",
        },
    )
    hugo.post("/hall/dnl/manage/slots/copy-week", {"week": "2023-03-13"})
    following = AppointmentSlot.objects.get(day=dt.date(2023, 3, 20))
    hugo.post(f"/hall/dnl/manage/slots/{following.pk}/close", {"reason": "Staff training"})
    hugo.post("/hall/dnl/manage/slots/copy-week", {"week": "2023-03-13"})
    assert not AppointmentSlot.objects.filter(day=dt.date(2023, 3, 20)).exists()
    assert SlotEvent.objects.filter(action="copy").count() == 1


def test_a_range_without_a_working_day_says_nothing_was_made(hugo, town):
    """Review: opening slots for a Saturday and Sunday made nothing and reported it as a
    success ('0 made, 0 kept, 0 left out')."""
    answer = hugo.post(
        "/hall/dnl/manage/slots/add?week=2023-03-13",
        {
            "matter": town.residence.pk,
            "first_day": "2023-03-18",
            "last_day": "2023-03-19",
            "starts": "09:00",
            "ends": "10:00",
            "minutes": "30",
            "capacity": "3",
        },
        follow=True,
    )
    shown = [(m.level_tag, str(m)) for m in answer.context["messages"]]
    assert shown == [("warning", "所选日期范围内没有工作日：未开设任何时段。")]
    assert not AppointmentSlot.objects.exists()
