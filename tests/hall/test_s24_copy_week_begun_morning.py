"""Hugo opens the week's appointment slots on its Monday at 09:45: Monday's 09:00 and 09:30 have
begun and are left out, rightly. Copying the week then carried that gap into every week after
(next Monday without its morning), with nothing said (walk-through, session 24, M12). A day that
had begun when it was opened gets the week's earlier times in the copy; a day still to come that
was opened without its morning is copied as it is (that was meant)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from hotline.hall.actions import slots as slot_actions
from hotline.hall.models import AppointmentSlot
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _times(town, day: str) -> list[str]:
    slots = AppointmentSlot.objects.filter(hall=town.hall, matter=town.residence, day=day)
    return [f"{s:%H:%M}" for s in slots.order_by("starts").values_list("starts", flat=True)]


def test_a_monday_opened_at_0945_is_copied_with_its_morning(client, town):
    with time_machine.travel(at("2023-03-06 09:45"), tick=False):
        for first, last, starts in ((6, 7, 9), (8, 8, 10), (9, 10, 9)):
            # Wednesday from 10:00 only, on purpose (a staff meeting first).
            slot_actions.add_slots(
                town.hall, town.residence,
                first_day=dt.date(2023, 3, first), last_day=dt.date(2023, 3, last),
                starts=dt.time(starts), ends=dt.time(11), minutes=30, capacity=2,
                actor=town.hugo,
            )  # fmt: skip
        assert _times(town, "2023-03-06") == ["10:00", "10:30"]
        client.force_login(town.hugo)
        client.post(reverse("hall:copy_slots_week", args=[town.hall.code]), {"week": "2023-03-06"})
    assert _times(town, "2023-03-13") == ["09:00", "09:30", "10:00", "10:30"]
    assert _times(town, "2023-03-14") == ["09:00", "09:30", "10:00", "10:30"]
    assert _times(town, "2023-03-15") == ["10:00", "10:30"]
    nine = AppointmentSlot.objects.get(day="2023-03-13", starts=dt.time(9), matter=town.residence)
    assert nine.capacity == 2 and nine.ends == dt.time(9, 30)


def test_copied_on_thursday_a_wednesday_opened_late_on_purpose_stays_late(client, town):
    """The usual moment to copy a week is its end (review r1, M5): on the Thursday, the Monday
    opened at 09:45 gets its morning back, the Wednesday opened from 10:00 on the Monday (two
    days before it began) stays from 10:00."""
    with time_machine.travel(at("2023-03-06 09:45"), tick=False):
        for first, last, starts in ((6, 7, 9), (8, 8, 10), (9, 10, 9)):
            slot_actions.add_slots(
                town.hall, town.residence,
                first_day=dt.date(2023, 3, first), last_day=dt.date(2023, 3, last),
                starts=dt.time(starts), ends=dt.time(11), minutes=30, capacity=2,
                actor=town.hugo,
            )  # fmt: skip
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        client.force_login(town.hugo)
        client.post(reverse("hall:copy_slots_week", args=[town.hall.code]), {"week": "2023-03-06"})
    assert _times(town, "2023-03-13") == ["09:00", "09:30", "10:00", "10:30"]
    assert _times(town, "2023-03-15") == ["10:00", "10:30"]
    assert _times(town, "2023-03-16") == ["09:00", "09:30", "10:00", "10:30"]
