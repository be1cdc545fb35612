"""Wrong SMS codes typed at the same moment against one sending stop at five (real threads;
PostgreSQL, and SQLite with ``SQLITE_TEST_NAME``). The verification checked "too many wrong
codes" first and recorded the wrong code after comparing it, so twenty codes sent together each
found fewer than five failures and twelve were compared on PostgreSQL (attack report, session
19): a guesser's odds per sending more than doubled. Now each try is counted before it is
compared, as the portal's other limits count a hit before they judge it."""

from __future__ import annotations

import threading

import pytest
from django.utils.crypto import constant_time_compare

from hotline.hall import booking_code
from hotline.portal.models import PortalHit
from tests.concurrency import in_threads, needs_threads_db

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13912345678"
GUESSES = 20


def _wrong_codes(right: str) -> list[str]:
    return [f"{(int(right) + k) % 10**6:06d}" for k in range(1, GUESSES + 1)]


def _guess_until_used_up(signed: str, codes: list[str], hall) -> None:
    for code in codes:
        try:
            booking_code.verify(signed, code, hall)
        except booking_code.NeedNewCode:
            return
        except booking_code.CodeRefused:
            continue
    pytest.fail("the sending still takes codes")


def test_twenty_wrong_codes_at_once_compare_at_most_five(town, slot, monkeypatch):
    needs_threads_db()
    pending = booking_code.ask(
        town.hall, slot, matter=str(slot.matter_id), phone=PHONE, name="", submission="x" * 20
    )
    booking_code.issue(town.hall, pending)
    signed, right = pending.signed(), pending.code()
    compared: list[str] = []
    lock = threading.Lock()

    def spy(typed: str, expected: str) -> bool:
        with lock:
            compared.append(typed)
        return constant_time_compare(typed, expected)

    monkeypatch.setattr(booking_code, "constant_time_compare", spy)
    wrong = _wrong_codes(right)
    errors = in_threads(lambda i: booking_code.verify(signed, wrong[i], town.hall), GUESSES)
    assert len(errors) == GUESSES
    assert all(isinstance(e, booking_code.CodeRefused) for e in errors), errors
    assert len(compared) <= booking_code.TRIES, len(compared)
    # Only the codes compared stay counted as wrong (tries refused uncompared count nothing).
    counted = PortalHit.objects.filter(key__startswith=f"{booking_code.WRONG.name}:").count()
    assert counted == len(compared)
    # Guessing on one at a time afterwards: five compared in all, then the sending is used up
    # for everyone, the right code included.
    _guess_until_used_up(signed, wrong, town.hall)
    assert len(compared) == booking_code.TRIES
    with pytest.raises(booking_code.NeedNewCode):
        booking_code.verify(signed, right, town.hall)


def test_a_right_code_among_wrong_ones_at_once_is_not_counted_as_wrong(town, slot):
    needs_threads_db()
    pending = booking_code.ask(
        town.hall, slot, matter=str(slot.matter_id), phone=PHONE, name="", submission="y" * 20
    )
    booking_code.issue(town.hall, pending)
    signed, right = pending.signed(), pending.code()
    codes = [right, *_wrong_codes(right)[:3]]
    errors = in_threads(lambda i: booking_code.verify(signed, codes[i], town.hall), len(codes))
    assert len(errors) == 3 and all(isinstance(e, booking_code.CodeRefused) for e in errors)
    counted = PortalHit.objects.filter(key__startswith=f"{booking_code.WRONG.name}:").count()
    assert counted == 3
