"""Case numbers (DNL-2026-000123) and pre-review numbers (DNL-YS-2026-000123): per hall, per year
from 000001, continuing an existing counter; on PostgreSQL from a sequence per hall and year
(hotline.cases.numbering), which may leave gaps but never repeats a number."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from hotline.cases import numbering
from hotline.cases.actions.opening import next_number
from hotline.cases.demo import purge_cases
from hotline.cases.models import Case, CaseCounter
from hotline.org import demo
from hotline.prereview.actions import filing
from hotline.prereview.demo import purge_prereviews
from hotline.prereview.models import PreReview, PreReviewCounter
from tests.cases.conftest import serve
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.postgres_only


def test_a_halls_cases_are_numbered_from_one_and_again_from_one_in_a_new_year(ct):
    numbers = [
        serve(ct, ct.residence, at("2025-12-30 10:00"))[1].number,
        serve(ct, ct.residence, at("2025-12-31 10:00"))[1].number,
        serve(ct, ct.residence, at("2026-01-06 10:00"))[1].number,
        serve(ct, ct.residence, at("2026-01-06 10:30"))[1].number,
    ]
    assert numbers == ["DNL-2025-000001", "DNL-2025-000002", "DNL-2026-000001", "DNL-2026-000002"]


def test_each_hall_has_its_own_sequence(ct, district):
    jazw = make_hall(district, code="jazw").hall
    now = at("2026-03-03 10:00")
    assert next_number(ct.town.hall, now) == "DNL-2026-000001"
    assert next_number(jazw, now) == "JAZW-2026-000001"
    assert next_number(ct.town.hall, now) == "DNL-2026-000002"
    assert next_number(jazw, now) == "JAZW-2026-000002"


def test_a_year_is_the_shanghai_year(ct):
    # 2025-12-31 23:30 in Shanghai is still 15:30 UTC of that day; 2026-01-01 00:30 Shanghai is
    # 2025-12-31 16:30 UTC, and already the new year's first number.
    assert next_number(ct.town.hall, at("2025-12-31 23:30")) == "DNL-2025-000001"
    assert next_number(ct.town.hall, at("2026-01-01 00:30")) == "DNL-2026-000001"


def test_an_existing_counter_continues_after_its_last_number(ct):
    # A counter written before the sequences (or on another backend's run): 41 numbers given.
    CaseCounter.objects.create(hall=ct.town.hall, year=2026, last=41)
    _ticket, case = serve(ct, ct.residence, at("2026-03-03 10:00"))
    assert case.number == "DNL-2026-000042"
    assert next_number(ct.town.hall, at("2026-03-03 10:05")) == "DNL-2026-000043"


@postgres_only
def test_numbers_start_after_the_highest_in_use_when_the_counter_row_is_gone(ct):
    _ticket, case = serve(ct, ct.residence, at("2026-03-03 10:00"))
    Case.objects.filter(pk=case.pk).update(number="DNL-2026-000057")
    # The sequence is there but its registry row is not (the demo's purge truncates the rows).
    CaseCounter.objects.all().delete()
    assert next_number(ct.town.hall, at("2026-03-03 10:05")) == "DNL-2026-000058"
    assert CaseCounter.objects.get(hall=ct.town.hall, year=2026).last == 57


@postgres_only
def test_an_emptied_hall_starts_again_at_one(ct):
    assert next_number(ct.town.hall, at("2026-03-03 10:00")) == "DNL-2026-000001"
    assert next_number(ct.town.hall, at("2026-03-03 10:00")) == "DNL-2026-000002"
    CaseCounter.objects.all().delete()  # no case holds a number: none in use
    assert next_number(ct.town.hall, at("2026-03-03 10:05")) == "DNL-2026-000001"


@postgres_only
def test_a_rolled_back_opening_leaves_a_gap_and_no_repeat(ct):
    now = at("2026-03-03 10:00")
    assert next_number(ct.town.hall, now) == "DNL-2026-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(ct.town.hall, now) == "DNL-2026-000002"
        raise RuntimeError("the opening failed after numbering")
    # Gaps are allowed (unique and ordered, not consecutive): 000002 is never handed out again.
    assert next_number(ct.town.hall, now) == "DNL-2026-000003"


@postgres_only
def test_the_sequence_is_a_postgresql_sequence_named_by_hall_and_year(ct):
    next_number(ct.town.hall, at("2026-03-03 10:00"))
    name = numbering.sequence_name(CaseCounter, ct.town.hall.pk, 2026)
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM " + connection.ops.quote_name(name))
        assert cursor.fetchone() == (1,)


def test_pre_review_numbers_have_their_own_yearly_sequence(ct):
    hall = ct.town.hall
    assert filing.next_number(hall, at("2026-03-03 10:00")) == "DNL-YS-2026-000001"
    assert filing.next_number(hall, at("2026-03-03 10:00")) == "DNL-YS-2026-000002"
    # Case numbers are counted apart from pre-review numbers.
    assert next_number(hall, at("2026-03-03 10:00")) == "DNL-2026-000001"
    assert filing.next_number(hall, at("2027-01-04 10:00")) == "DNL-YS-2027-000001"
    PreReviewCounter.objects.filter(hall=hall, year=2027).update(last=9)
    if connection.vendor == "postgresql":
        # The counter's last number counts on PostgreSQL only where no sequence took over yet.
        assert filing.next_number(hall, at("2027-01-04 10:00")) == "DNL-YS-2027-000002"
    else:
        assert filing.next_number(hall, at("2027-01-04 10:00")) == "DNL-YS-2027-000010"


@postgres_only
def test_highest_in_use_reads_only_that_halls_numbers_of_that_year(ct, district):
    jazw = make_hall(district, code="jazw").hall
    cases = [serve(ct, ct.residence, at(f"2026-03-03 10:{m:02d}"))[1] for m in (0, 10, 20, 30)]
    for case, number, hall in zip(
        cases,
        ["DNL-2026-000057", "DNL-2025-000900", "JAZW-2026-000999", "DNL-2026-1000001"],
        [ct.town.hall, ct.town.hall, jazw, ct.town.hall],
        strict=True,
    ):
        Case.objects.filter(pk=case.pk).update(number=number, hall=hall)
    assert numbering.highest_in_use(Case, ct.town.hall.pk, 2026) == 1_000_001
    assert numbering.highest_in_use(Case, ct.town.hall.pk, 2025) == 900
    assert numbering.highest_in_use(Case, jazw.pk, 2026) == 999
    assert numbering.highest_in_use(PreReview, ct.town.hall.pk, 2026) == 0


def _sequences(hall_id: int | None = None) -> list[str]:
    """The number sequences in the database (of one hall: tests with real transactions leave
    other halls' behind)."""
    hall = str(hall_id) if hall_id else "[0-9]+"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'S' AND relname ~ %s ORDER BY relname",
            [f"_h{hall}_y[0-9]+$"],
        )
        return [name for (name,) in cursor.fetchall()]


@postgres_only
def test_the_demo_reset_drops_every_halls_number_sequences(ct):
    hall = ct.town.hall
    next_number(hall, at("2026-03-03 10:00"))
    next_number(hall, at("2027-01-04 10:00"))
    filing.next_number(hall, at("2026-03-03 10:00"))
    assert _sequences(hall.pk) == [
        numbering.sequence_name(CaseCounter, hall.pk, 2026),
        numbering.sequence_name(CaseCounter, hall.pk, 2027),
        numbering.sequence_name(PreReviewCounter, hall.pk, 2026),
    ]
    demo.reset()
    # The halls are gone and the next ones have new ids: nothing would read these again.
    assert _sequences() == []


@postgres_only
def test_a_purged_hall_numbers_from_one_again_and_a_failed_reset_keeps_its_sequences(ct):
    hall = ct.town.hall
    assert next_number(hall, at("2026-03-03 10:00")) == "DNL-2026-000001"
    assert filing.next_number(hall, at("2026-03-03 10:00")) == "DNL-YS-2026-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        purge_cases()
        assert _sequences(hall.pk) == [numbering.sequence_name(PreReviewCounter, hall.pk, 2026)]
        raise RuntimeError("the reset failed after the cases' hook")
    # Dropping is transactional: the rolled-back reset left the sequence and its number.
    assert next_number(hall, at("2026-03-03 10:05")) == "DNL-2026-000002"
    purge_prereviews()
    purge_cases()
    assert _sequences(hall.pk) == []
    assert next_number(hall, at("2026-03-03 10:10")) == "DNL-2026-000001"
    assert filing.next_number(hall, at("2026-03-03 10:10")) == "DNL-YS-2026-000001"


def test_drop_sequences_drops_a_counters_sequences_on_postgresql_only(ct):
    next_number(ct.town.hall, at("2026-03-03 10:00"))
    filing.next_number(ct.town.hall, at("2026-03-03 10:00"))
    dropped = numbering.drop_sequences(CaseCounter)
    if connection.vendor == "postgresql":
        assert numbering.sequence_name(CaseCounter, ct.town.hall.pk, 2026) in dropped
        assert _sequences(ct.town.hall.pk) == [
            numbering.sequence_name(PreReviewCounter, ct.town.hall.pk, 2026)
        ]
    else:
        assert dropped == []  # SQLite numbers from the counter row alone
