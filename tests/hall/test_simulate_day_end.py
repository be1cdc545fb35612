"""The simulator's day ends where the hall's day ends: it reads the closing time from
hall.hours (the rules the worker and the kiosk read), instead of working it out itself from
``closes_at``. Should the day's end rules change there (a short day, a late evening), the
simulated day follows them: no visitor arrives in the last half hour before closing, and the
clerks sign out at the closing or after the last ticket."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hotline.hall import hours, simulate
from hotline.hall.models import TicketEvent, WindowEvent
from hotline.org.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 3, 9)


def test_the_simulated_day_closes_when_the_halls_hours_say(town, monkeypatch):
    make_user("clerk-3", town.hall.unit, Role.HALL_CLERK)
    noon = timezone.make_aware(dt.datetime.combine(DAY, dt.time(12)))
    monkeypatch.setattr(hours, "closing_of", lambda hall, day: noon)
    simulate.run_day(town.hall, DAY, 7, {town.residence.pk: 24.0, town.allowance.pk: 12.0})
    issued = TicketEvent.objects.filter(action="issue").values_list("at", flat=True)
    assert issued and max(issued) < noon - dt.timedelta(minutes=30)
    sign_outs = WindowEvent.objects.filter(action="sign_out").values_list("at", flat=True)
    assert min(sign_outs) >= noon
