"""The day simulator (session 27): stopped at a moment, the hall as it stood then (for a bench to
poll a "my place" page in the middle of a busy morning); and a few visitors' tickets transferred
by their clerk to another matter, as a hall's are, which the estimate's bench never saw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from hotline.hall import simulate
from hotline.hall.models import Ticket, TicketEvent, WindowEvent
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


def test_a_few_tickets_are_transferred_to_another_windows_matter(town, settings):
    """Wendy's window 1 serves both matters, Walt's window 2 居住证 only: a 居住证 visitor at
    window 2 who needs 老年综合津贴 is transferred to it, and served again at window 1."""
    volumes = {town.residence.pk: 24.0, town.allowance.pk: 12.0}

    def day(percent):
        settings.HALL_SIMULATE_TRANSFER_PERCENT = percent
        with transaction.atomic():
            simulate.run_day(town.hall, DAY, 7, volumes)
            issued = list(
                TicketEvent.objects.filter(action="issue")
                .order_by("at", "pk")
                .values_list("at", "matter_id")
            )
            moves = list(
                TicketEvent.objects.filter(action="transfer").values_list(
                    "ticket_id", "actor_id", "payload", "ticket__matter_id"
                )
            )
            served = {
                ticket: list(
                    TicketEvent.objects.filter(ticket_id=ticket, action__in=["call", "finish"])
                    .order_by("at", "pk")
                    .values_list("action", "window__number")
                )
                for ticket, *_rest in moves
            }
            states = dict(Ticket.objects.values_list("pk", "state"))
            transaction.set_rollback(True)
        return issued, moves, served, states

    issued, moves, served, states = day(25)
    assert len(moves) >= 2
    for ticket, actor, payload, matter in moves:
        assert actor is not None  # by the window's clerk
        assert payload["from_window"] == 2 and payload["from_matter"] == "jzz"
        assert matter == town.allowance.pk  # which window 2 does not serve
        if states[ticket] == "done":  # served again, at window 1 (else still waiting, or gone)
            assert served[ticket][-2:] == [("call", 1), ("finish", 1)]
    # The same visitors arrive whatever the share; none is transferred at 0.
    same_visitors, none, _served, _states = day(0)
    assert same_visitors == issued and none == []
