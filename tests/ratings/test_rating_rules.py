"""好差评 rules: a visit is rated once, by the citizen, after it was served; the two lowest levels
need a reason; the pad only rates what its window finished last."""

from __future__ import annotations

import pytest
import time_machine
from django.db import IntegrityError, transaction

from hotline.orders.models import WorkOrder
from hotline.ratings import actions, pad
from hotline.ratings.models import Channel, Level, Rating, RatingEvent, RatingState
from tests.conftest import at
from tests.ratings.conftest import enrolled_pad

pytestmark = pytest.mark.django_db


def test_a_citizen_rates_a_served_visit_at_the_window_pad(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        assert pad.pending(town.hall.w1, at("2023-03-09 10:01")) == ticket
        rating = actions.rate(
            ticket,
            None,
            level=Level.VERY_SATISFIED,
            channel=Channel.PAD,
            pad=enrolled_pad(town, town.hall.w1),
        )
        assert pad.pending(town.hall.w1, at("2023-03-09 10:01")) is None
    assert rating.state == RatingState.RATED and rating.order is None
    assert rating.clerk == town.hall.wendy and rating.window == town.hall.w1
    assert list(RatingEvent.objects.values_list("action", flat=True)) == ["rate"]
    assert not WorkOrder.objects.exists()


def test_each_visit_is_rated_once_whatever_the_channel(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.rate(ticket, None, level=Level.SATISFIED, channel=Channel.QR)
        with pytest.raises(actions.Conflict):
            actions.rate(
                ticket,
                None,
                level=Level.VERY_DISSATISFIED,
                channel=Channel.SMS,
                reasons=["attitude"],
            )
    assert Rating.objects.get().level == Level.SATISFIED
    assert not WorkOrder.objects.exists()


def test_the_database_refuses_a_second_rating_of_a_visit(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        first = actions.rate(ticket, None, level=Level.SATISFIED, channel=Channel.QR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            ticket=ticket,
            hall=first.hall,
            matter=first.matter,
            served_at=first.served_at,
            level=Level.DISSATISFIED,
            channel=Channel.QR,
        )


@pytest.mark.parametrize("level", [Level.DISSATISFIED, Level.VERY_DISSATISFIED])
def test_the_two_lowest_levels_need_a_reason(town, level):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        with pytest.raises(actions.InvalidInput) as refused:
            actions.rate(ticket, None, level=level, channel=Channel.QR)
        assert refused.value.field == "reasons"
        with pytest.raises(actions.InvalidInput) as other:
            actions.rate(ticket, None, level=level, channel=Channel.QR, reasons=["other"])
        assert other.value.field == "comment"
    assert not Rating.objects.exists() and not WorkOrder.objects.exists()


def test_basically_satisfied_needs_no_reason_and_unknown_levels_are_refused(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        for bad in ("0", "6", "", "good", None):
            with pytest.raises(actions.InvalidInput):
                actions.rate(ticket, None, level=bad, channel=Channel.QR)
        rating = actions.rate(ticket, None, level="3", channel=Channel.QR)
    assert rating.level == Level.BASICALLY_SATISFIED and rating.reasons == []


def test_the_clerk_cannot_rate_her_own_service_nor_can_the_manager(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        for staff in (town.hall.wendy, town.hall.hugo, town.hall.district.olga):
            with pytest.raises(actions.NotAllowed):
                actions.rate(
                    ticket,
                    staff,
                    level=Level.VERY_SATISFIED,
                    channel=Channel.PAD,
                    pad=enrolled_pad(town, town.hall.w1),
                )
    assert not Rating.objects.exists()


def test_a_visit_not_yet_served_cannot_be_rated(town):
    from hotline.hall import actions as hall

    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        waiting = hall.issue(town.hall.hall, town.hall.residence)
        with pytest.raises(actions.InvalidTransition):
            actions.rate(waiting, None, level=Level.SATISFIED, channel=Channel.QR)


def test_the_pad_shows_only_its_own_windows_last_service_and_only_for_a_while(town):
    first = town.serve("2023-03-09 10:00")
    second = town.serve("2023-03-09 10:20")
    w1, w3 = town.hall.w1, town.hall.w3
    assert pad.pending(w1, at("2023-03-09 10:21")) == second
    assert pad.pending(w3, at("2023-03-09 10:21")) is None
    assert pad.pending(w1, at("2023-03-09 10:31")) is None  # RATING_PAD_MINUTES = 10
    refused = pytest.raises(actions.InvalidTransition)
    with time_machine.travel(at("2023-03-09 10:21"), tick=False), refused:
        actions.rate(second, None, level=5, channel=Channel.PAD, pad=enrolled_pad(town, w3))
    with time_machine.travel(at("2023-03-09 10:31"), tick=False):
        with pytest.raises(actions.InvalidTransition):
            actions.rate(second, None, level=5, channel=Channel.PAD, pad=enrolled_pad(town, w1))
        # Through the ticket's QR code the citizen still may, for RATING_LINK_DAYS.
        actions.rate(first, None, level=4, channel=Channel.QR)
    with time_machine.travel(at("2023-04-09 10:31"), tick=False), refused:
        actions.rate(second, None, level=4, channel=Channel.SMS)


def test_rating_events_cannot_be_changed(town):
    from django.core.exceptions import ValidationError

    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.rate(ticket, None, level=5, channel=Channel.QR)
    with pytest.raises(ValidationError):
        RatingEvent.objects.update(reason="x")
    with pytest.raises(ValidationError):
        RatingEvent.objects.all().delete()


def test_on_postgresql_the_database_itself_refuses_changing_rating_events(town):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.rate(ticket, None, level=5, channel=Channel.QR)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ratings_ratingevent SET reason = 'x'")


def test_only_an_enrolled_pad_rates_at_the_window(town):
    """The action itself asks for the enrolled pad: a future caller that names no pad, or a pad
    revoked since, cannot rate as the window's pad (the views checked; the action trusted them)."""
    ticket = town.serve("2023-03-09 10:00")
    tablet = enrolled_pad(town, town.hall.w1)
    actions.revoke_pad(town.hall.w1, actor=town.hall.hugo)
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        with pytest.raises(actions.NotAllowed):
            actions.rate(ticket, None, level=Level.SATISFIED, channel=Channel.PAD)
        with pytest.raises(actions.NotAllowed):
            actions.rate(ticket, None, level=Level.SATISFIED, channel=Channel.PAD, pad=tablet)
        assert not Rating.objects.exists()
        rating = actions.rate(
            ticket,
            None,
            level=Level.SATISFIED,
            channel=Channel.PAD,
            pad=enrolled_pad(town, town.hall.w1),
        )
    assert rating.window == town.hall.w1
