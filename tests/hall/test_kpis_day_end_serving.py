"""KPIs: a ticket still being served at the day's end keeps its serving minutes (the fold reads
the day_end event's served_until, tickets.end_at_day_end).

Thursday: Walt (window 2) starts serving 张三 at 16:40 and never presses "finish" (张三 leaves
with his papers at closing); the worker's day's-end pass ends the ticket the next morning at
08:30 (it was down overnight) and closes window 2 at the day's end, 18:00. Before, the day_end
event said nothing of the service, so window 2's figures counted 16:40–18:00 as idle, though
Walt was at the counter with 张三 all along. The event now carries until when the service is
counted: the day's end (when the window's own day closes in its events), never the moment the
worker happened to run; the window's busy minutes count it, so its idle time does not. The
estimate's cycles leave it out (its real end is unknown; see the estimate's ENDS)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import actions, kpis, sweep
from tests.conftest import at

THURSDAY = dt.date(2023, 3, 9)


def _zhang_served_until_the_end(town):
    with time_machine.travel(at("2023-03-09 16:30"), tick=False):
        actions.sign_in(town.w2, town.walt)
        zhang = actions.issue(town.hall, town.residence, holder_name="张三")
    with time_machine.travel(at("2023-03-09 16:40"), tick=False):
        actions.call_next(town.w2, town.walt)
        actions.start(zhang, town.walt)
    return zhang


@pytest.mark.django_db
def test_a_ticket_ended_while_served_counts_as_busy_not_idle_for_its_window(town):
    _zhang_served_until_the_end(town)
    sweep.sweep_hall(town.hall, at("2023-03-10 08:30"))
    (facts,) = kpis.ticket_facts(town.hall, THURSDAY, THURSDAY)
    assert facts.outcome == "ended"
    assert facts.serving == 80  # 16:40 → 18:00, the day's end
    assert facts.windows == {town.w2.pk: 80}
    # Window 2 was open 16:30 → 18:00 (closed at the day's end): ten minutes without anyone.
    assert kpis.idle_minutes(town.hall, THURSDAY, THURSDAY)[town.w2.pk] == 10


@pytest.mark.django_db
def test_an_ended_service_is_no_finished_service(town):
    """Ended, not served: the hall's served count, throughput and mean serving time (over the
    finished ones) are unchanged."""
    _zhang_served_until_the_end(town)
    sweep.sweep_hall(town.hall, at("2023-03-09 18:00"))
    figures = kpis.report(town.hall, THURSDAY, THURSDAY)["dnl"]
    assert figures.served == 0 and figures.mean_serving == 0
    assert kpis.report(town.hall, THURSDAY, THURSDAY, by="window") == {}


def test_a_service_started_after_the_days_end_counts_nothing_negative():
    """A clerk working late started a service after the day's end: counted from its start."""
    start = at("2023-03-09 18:20")
    rows = [
        kpis.Row(1, 1, "issue", at("2023-03-09 16:00"), None, None, 7),
        kpis.Row(1, 2, "call", at("2023-03-09 18:10"), 3, 9, 7),
        kpis.Row(1, 3, "start", start, 3, 9, 7),
        kpis.Row(
            1,
            4,
            "day_end",
            at("2023-03-09 18:30"),
            3,
            None,
            7,
            {"served_until": at("2023-03-09 18:00").isoformat()},
        ),
    ]
    facts = kpis.fold(rows)
    assert facts.serving == 0 and facts.windows == {3: 10}
