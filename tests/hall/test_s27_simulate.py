"""The day simulator (session 27): stopped at a moment, the hall as it stood then (for a bench to
poll a "my place" page in the middle of a busy morning)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from hotline.hall import simulate
from hotline.hall.models import TicketEvent, WindowEvent
from hotline.org.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 3, 9)


def test_a_day_stopped_at_eleven_is_the_whole_days_morning(town):
    make_user("clerk-3", town.hall.unit, Role.HALL_CLERK)
    volumes = {town.residence.pk: 24.0, town.allowance.pk: 12.0}
    eleven = timezone.make_aware(dt.datetime.combine(DAY, dt.time(11)))

    def events(**run):
        with transaction.atomic():
            simulate.run_day(town.hall, DAY, 7, volumes, **run)
            found = list(
                TicketEvent.objects.filter(at__lt=eleven)
                .order_by("at", "pk")
                .values_list("action", "at", "ticket__number")
            )
            after = TicketEvent.objects.filter(at__gte=eleven).count()
            signed_out = WindowEvent.objects.filter(action="sign_out").count()
            transaction.set_rollback(True)
        return found, after, signed_out

    morning, after_eleven, signed_out = events(until=eleven)
    whole_morning, whole_after, whole_signed_out = events()
    assert morning == whole_morning and len(morning) > 20
    assert after_eleven == 0 and whole_after > 0
    # The windows are still open at eleven: the day's end is not played.
    assert signed_out == 0 and whole_signed_out == 3
