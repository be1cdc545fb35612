"""The recent window cycles every issue's estimate reads (session 28): read as whole
microseconds, and on PostgreSQL from a statement compiled once per hall and matters, with each
read's own time bounds.

Wendy serves three 居住证 visitors on Thursday morning at window 1. The estimate at an issue
reads each one's cycle (the last call to the finish) to the microsecond, as it did when the
times came as datetimes; an issue later that morning reads only the cycles finished by then, and
one fifteen days on reads none of them (they are past the fortnight it looks back on), although
the statement was compiled at the first read. A guard: it passes before and after the change,
which made the read cheaper (a fifth of an issue's CPU on the ticket bench), not different."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import actions, estimate
from tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(town) -> list[tuple[dt.datetime, dt.datetime]]:
    """Wendy's three services, (called, finished), to odd microseconds."""
    times = [
        (at("2023-03-09 09:05:00.250000"), at("2023-03-09 09:12:30.000001")),
        (at("2023-03-09 09:15:05.123457"), at("2023-03-09 09:26:00.999999")),
        (at("2023-03-09 09:30:00.000003"), at("2023-03-09 09:36:59.500000")),
    ]
    with time_machine.travel(at("2023-03-09 08:59"), tick=False):
        actions.sign_in(town.w1, town.wendy)
    for called, finished in times:
        with time_machine.travel(called - dt.timedelta(seconds=30), tick=False):
            actions.issue(town.hall, town.residence)
        ticket = actions.call_next(town.w1, town.wendy, now=called)
        actions.start(ticket, town.wendy, now=called + dt.timedelta(seconds=20))
        actions.finish(ticket, town.wendy, now=finished)
    return times


def minutes(called: dt.datetime, finished: dt.datetime) -> float:
    return (finished - called).total_seconds() / 60


def test_an_issue_reads_wendys_cycles_to_the_microsecond(town, served):
    typical = {town.residence.pk: town.residence.service_minutes}
    means, recent = estimate._recent_cycles(town.hall, typical, at("2023-03-09 10:00"))
    expected = [minutes(*times) for times in reversed(served)]  # newest first
    assert recent[town.residence.pk] == expected
    assert means[town.residence.pk] == sum(expected) / 3


def test_each_read_has_its_own_time_bounds(town, served):
    typical = {town.residence.pk: town.residence.service_minutes}
    estimate._recent_cycles(town.hall, typical, at("2023-03-09 10:00"))
    # At 09:30 the third visitor was not yet served: two cycles, too few for a mean.
    _means, recent = estimate._recent_cycles(town.hall, typical, at("2023-03-09 09:30"))
    assert recent[town.residence.pk] == [minutes(*served[1]), minutes(*served[0])]
    # Fifteen days on, the morning is past the fortnight the estimate looks back on.
    means, recent = estimate._recent_cycles(town.hall, typical, at("2023-03-24 10:00"))
    assert recent[town.residence.pk] == []
    assert means[town.residence.pk] == town.residence.service_minutes + 1.0


def test_no_matters_to_read_is_no_cycles_not_an_error(town):
    """A hall whose busy windows serve none of the matters asked about (or a board with no
    window open) asks for the cycles of no matter: Django refuses to compile ``matter_id__in=[]``
    (EmptyResultSet), and on PostgreSQL the compiled-once read let it through as a 500 on the
    board and the manager's page (CI, session 28). No matter read is no cycle."""
    from hotline.hall import snapshot

    moment = at("2023-03-09 10:00")
    assert snapshot.cycle_events(town.hall, [], ["call"], moment, moment, 10) == []
    assert snapshot.cycle_events(town.hall, [town.residence.pk], [], moment, moment, 10) == []
