"""The wait range a newcomer is shown at issue, worked out by hand on small halls, under the
queue rules that place expected priority visitors differently; and the queue as the issue reads
it (PostgreSQL: raw rows, remembered) is the queue as stored."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions, estimate, snapshot
from hotline.hall.models import Priority, Ticket, TicketEvent, TicketState
from tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shipped_estimate(monkeypatch):
    # These ranges are the shipped estimate's, worked out by hand; with the full play on
    # (session 25) a hall's day with history gets the full play's, which has its own tests
    # (test_estimate_play.py).
    monkeypatch.setattr(estimate, "FULL_PLAY", False)


def test_a_newcomer_waits_for_the_windows_heavier_matters_first(town):
    # Wendy's window 1 weighs 老年综合津贴 (7-minute cycles: 6 typical + the walk) over 居住证
    # (11), Walt's window 2 serves 居住证 only. At 09:00: A001, B001, A002 wait; the newcomer
    # A003. Window 1 takes B001 (free at 7), window 2 A001 (free at 11); at 7 window 1 takes
    # A002; at 11 window 2 calls A003: 11 minutes × 1.10 (a regular ticket's stretch) = 12.1,
    # shown 12.1 ± (0.5 × 12.1 + 2) → 4 to 20.
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        actions.sign_in(town.w2, town.walt)
        for matter in (town.residence, town.allowance, town.residence):
            actions.issue(town.hall, matter)
        newcomer = actions.issue(town.hall, town.residence)
    assert newcomer.number == "A003"
    assert (newcomer.estimate_low, newcomer.estimate_high) == (4, 20)
    issued = TicketEvent.objects.get(ticket=newcomer, action="issue")
    assert issued.payload["ahead"] == 3 and issued.payload["estimate"] == [4, 20]


def three_allowance_tickets_with_elderly_expected(town, fairness: str) -> Ticket:
    """Yesterday six elderly visitors came for 老年综合津贴 between 09:00 and 10:00, so today
    one is expected at 09:05, 09:15, … 09:55. Window 1 alone is open. B001 (08:40) and B002
    (08:50) wait; B003 is taken at 09:00."""
    town.hall.fairness = fairness
    town.hall.priority_boost_minutes = 15
    town.hall.save()
    for minute in range(6):
        actions.issue(
            town.hall,
            town.allowance,
            priority=Priority.ELDERLY,
            now=at(f"2023-03-08 09:{minute * 10 + 2:02d}"),
            check_hours=False,
        )
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        for when in ("08:40", "08:50"):
            # Before opening: the windows' hours are not this test's subject.
            actions.issue(
                town.hall, town.allowance, now=at(f"2023-03-09 {when}"), check_hours=False
            )
        return actions.issue(town.hall, town.allowance)


def test_time_weighted_expected_visitors_pass_only_tickets_queued_15_minutes_after_them(town):
    # Time-weighted, boost 15: the 09:05 visitor counts as queued at 08:50 — behind B002 (same
    # time, lower id first), ahead of B003; the 09:15 one as 09:00, behind B003. Window 1 (7 min):
    # B001 at 0, B002 at 7, the 09:05 visitor at 14, B003 at 21 (not stretched: window 1 weighs
    # no matter over 老年综合津贴, so no regular newcomer goes ahead) → 8 to 34.
    newcomer = three_allowance_tickets_with_elderly_expected(town, "time_weighted")
    assert (newcomer.estimate_low, newcomer.estimate_high) == (8, 34)


def test_under_strict_order_every_expected_visitor_goes_first(town):
    # Strict: each elderly visitor goes ahead of every regular ticket once arrived. Window 1,
    # the visitors evenly spaced: B001 at 0; the 09:05 visitor at 7; B002 at 14; the 09:15 one
    # at 21, 09:25 at 28, 09:35 at 35; B003 at 42 (09:45 not there yet; not stretched, as
    # above). But B003 is near the front (2 ahead, 1 window), where the point is the median of
    # plays with the visitors' arrivals drawn (session 20): 35, one visitor fewer → 15 to 55.
    newcomer = three_allowance_tickets_with_elderly_expected(town, "strict")
    assert (newcomer.estimate_low, newcomer.estimate_high) == (15, 55)


def test_the_queue_read_for_an_issue_is_the_queue_as_stored(town):
    # Raw rows on PostgreSQL, the ORM elsewhere: the same light rows either way, and again when
    # read a second time (remembered), also after a ticket is transferred to a window.
    with time_machine.travel(at("2023-03-09 09:00"), tick=True):
        actions.sign_in(town.w2, town.walt)
        actions.issue(town.hall, town.residence)
        actions.issue(town.hall, town.allowance, priority=Priority.ELDERLY)
        actions.issue(town.hall, town.residence, priority=Priority.PREGNANT)
    waiting = Ticket.objects.filter(hall=town.hall, state=TicketState.WAITING)

    def stored() -> list[snapshot.Light]:
        return sorted(snapshot.Light(*row) for row in waiting.values_list(*snapshot.LIGHT_FIELDS))

    assert sorted(snapshot.light(waiting)) == stored()
    assert sorted(snapshot.light(waiting)) == stored()
    waiting.filter(number="A001").update(target_window=town.w2)
    assert sorted(snapshot.light(waiting)) == stored()
    assert {t.target_window_id for t in snapshot.light(waiting)} == {None, town.w2.pk}
