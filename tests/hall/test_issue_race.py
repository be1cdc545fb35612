"""Six kiosks print tickets at the same moment, with real threads (SQLite and PostgreSQL): no
number is given twice or skipped, the daily cap holds, and one person gets one active ticket per
matter however many kiosks they press at once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hotline.hall import actions
from hotline.hall.identity import holder_key
from hotline.hall.models import Source, Ticket, TicketEvent
from tests.concurrency import in_threads, needs_threads_db

pytestmark = pytest.mark.django_db(transaction=True)

KIOSKS = 6


def _at_once(work: Callable[[int], object], times: int = 1) -> list[BaseException]:
    """Every kiosk presses ``times`` times at once; what they raised."""
    needs_threads_db()

    def kiosk(i: int) -> None:
        for _ in range(times):
            work(i)

    return in_threads(kiosk, KIOSKS)


def test_six_kiosks_at_once_number_without_gaps_or_repeats(town):
    errors = _at_once(
        lambda i: actions.issue(town.hall, [town.residence, town.allowance][i % 2]), 5
    )
    assert not errors, errors
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == KIOSKS * 5
    for prefix in ("A", "B"):
        assert sorted(n for n in numbers if n.startswith(prefix)) == [
            f"{prefix}{k:03d}" for k in range(1, 16)
        ]
    assert TicketEvent.objects.filter(action="issue").count() == KIOSKS * 5
    # Calling order follows the numbers: a lower number is never queued behind a higher one.
    for prefix in ("A", "B"):
        queued = list(
            Ticket.objects.filter(number__startswith=prefix)
            .order_by("queued_at", "pk")
            .values_list("number", flat=True)
        )
        assert queued == sorted(queued)


def test_the_daily_cap_holds_under_concurrency(town):
    town.hall.daily_cap = 4
    town.hall.save()
    errors = _at_once(lambda i: actions.issue(town.hall, town.residence))
    assert len([e for e in errors if isinstance(e, actions.CapReached)]) == KIOSKS - 4
    assert len(errors) == KIOSKS - 4
    assert sorted(Ticket.objects.values_list("number", flat=True)) == [
        "A001",
        "A002",
        "A003",
        "A004",
    ]  # the refused tickets gave their numbers back


def test_one_person_pressing_six_kiosks_gets_one_ticket(town):
    zhang = holder_key(phone="13912345678")
    # Proved (the portal's code confirmed on six tabs at once): a typed number binds no rule.
    proved = {"source": Source.PORTAL, "sms_phone": "13912345678"}
    errors = _at_once(
        lambda i: actions.issue(town.hall, town.residence, holder_key=zhang, **proved)
    )
    assert Ticket.objects.filter(holder_key=zhang).count() == 1
    assert len(errors) == KIOSKS - 1 and all(isinstance(e, actions.InvalidInput) for e in errors)
    assert list(Ticket.objects.values_list("number", flat=True)) == ["A001"]
