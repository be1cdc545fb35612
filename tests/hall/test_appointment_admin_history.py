"""Ada opens a booking in the admin after a citizen calls about it: its history there shows who
cancelled it and why (the reason hall staff must give, which the citizen is owed). Before, the
admin's history listed when, what, who and the channel, but not the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.org.models import User
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db


def test_the_admin_shows_why_a_booking_was_cancelled(client, town):
    slot = open_slot(town, dt.date(2023, 3, 10), capacity=2)
    appointment = booking.book(slot, holder_key=holder_key(phone="13900000001"))
    booking.cancel(appointment, actor=town.hugo, reason="窗口临时停办居住证业务")
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    page = client.get(reverse("admin:hall_appointment_change", args=[appointment.pk]))
    assert page.status_code == 200
    assert "窗口临时停办居住证业务" in page.content.decode()


def test_a_booking_on_a_closed_slot_saves_and_its_slot_cannot_be_moved(client, town):
    """Review: the slot drop-down offered open slots only, so a booking whose slot was closed
    could not be saved; and moving a booking to another slot passed its capacity, no event."""
    from hotline.hall.actions import slots

    slot = open_slot(town, dt.date(2023, 3, 10), capacity=1)
    other = open_slot(town, dt.date(2023, 3, 13), capacity=1)
    appointment = booking.book(slot, holder_key=holder_key(phone="13900000001"))
    booking.cancel(appointment, actor=town.hugo, reason="窗口临时停办")
    slots.close(slot, actor=town.hugo)
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    url = reverse("admin:hall_appointment_change", args=[appointment.pk])
    saved = client.post(
        url,
        {
            "slot": other.pk,
            "holder_name": "张三",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    appointment.refresh_from_db()
    assert appointment.slot_id == slot.pk and appointment.holder_name == "张三"
