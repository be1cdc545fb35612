"""Two managers (or one manager's two tabs) open the same slots at once: each batch reads that a
slot is not there yet, and the second one's save meets the first one's row. Before, that stopped
the batch with a database error (a server error page, nothing made); the slot the other batch made
is now counted as already there and kept, and the rest of the batch is made."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.hall.actions import slots
from hotline.hall.models import AppointmentSlot
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_a_slot_made_meanwhile_by_another_batch_is_kept(town, monkeypatch):
    checked = AppointmentSlot.full_clean

    def and_the_other_batch_saves_it(slot, *args, **kwargs):
        checked(slot, *args, **kwargs)
        if slot.starts == dt.time(9):
            AppointmentSlot.objects.create(
                hall=slot.hall, matter=slot.matter, day=slot.day,
                starts=slot.starts, ends=slot.ends, capacity=9,
            )  # fmt: skip

    monkeypatch.setattr(AppointmentSlot, "full_clean", and_the_other_batch_saves_it)
    result = slots.add_slots(
        town.hall, town.residence,
        first_day=dt.date(2023, 3, 13), last_day=dt.date(2023, 3, 13),
        starts=dt.time(9), ends=dt.time(10), minutes=30, capacity=3,
        actor=town.hugo, now=at("2023-03-09 10:00"),
    )  # fmt: skip
    assert (len(result.made), result.kept, result.refused) == (1, 1, [])
    assert sorted(AppointmentSlot.objects.values_list("starts", "capacity")) == [
        (dt.time(9), 9),
        (dt.time(9, 30), 3),
    ]
