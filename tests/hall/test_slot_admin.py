"""Ada opens appointment slots in the admin: a slot that ends before it starts, holds nobody, lies
outside the hall's hours or days, or is for a matter that takes no appointments, is refused on
the form with the reason, and nothing is saved.

Before, the admin saved them all: a slot 10:00–09:00 was offered to citizens as '10:00-09:00', a
slot of capacity 0 was never bookable, a slot at 20:00 was booked and then refused at check-in
(the windows closed), as was one on a Saturday."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.hall.models import AppointmentSlot
from hotline.org.models import User


@pytest.fixture
def ada_in_admin(client, db):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


def _add_slot(client, town, **fields):
    data = {
        "hall": town.hall.pk,
        "matter": town.residence.pk,
        "day": "2023-03-10",
        "starts": "09:00",
        "ends": "09:30",
        "capacity": "4",
    } | fields
    return client.post(reverse("admin:hall_appointmentslot_add"), data)


def test_a_good_slot_is_saved(ada_in_admin, town):
    response = _add_slot(ada_in_admin, town)
    assert response.status_code == 302
    assert AppointmentSlot.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"starts": "10:00", "ends": "09:00"}, "ends"),
        ({"starts": "10:00", "ends": "10:00"}, "ends"),
        ({"capacity": "0"}, "capacity"),
        ({"starts": "07:00", "ends": "07:30"}, "starts"),
        ({"starts": "16:45", "ends": "17:15"}, "ends"),
        ({"starts": "20:00", "ends": "20:30"}, "starts"),
        ({"day": "2023-03-11"}, "day"),  # a Saturday: the windows are closed
    ],
)
def test_a_slot_that_cannot_be_kept_is_refused_with_its_reason(ada_in_admin, town, fields, field):
    response = _add_slot(ada_in_admin, town, **fields)
    assert response.status_code == 200  # the form again
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert AppointmentSlot.objects.count() == 0


def test_a_slot_of_a_matter_without_appointments_is_refused(ada_in_admin, town):
    town.residence.appointment_allowed = False
    town.residence.save()
    response = _add_slot(ada_in_admin, town)
    assert response.status_code == 200
    assert "matter" in response.context["adminform"].form.errors
    assert AppointmentSlot.objects.count() == 0
