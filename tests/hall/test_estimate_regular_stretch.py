"""The regular lane's stretch (estimate.regular_stretch): only where a newcomer can go ahead, and
scaled by the heavier matters' usual arrivals over the wait."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from hotline.hall import estimate
from hotline.hall.estimate import REGULAR_STRETCH, Seat, regular_stretch

HALL = SimpleNamespace(pk=1, opens_at=dt.time(9), closes_at=dt.time(17), service_level_minutes=20)
A, B, C = 1, 2, 3


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def test_no_stretch_where_no_open_window_weighs_another_matter_heavier(monkeypatch):
    monkeypatch.setattr(estimate, "regular_rates", lambda hall, now: pytest.fail("not read"))
    seats = [Seat(1, {A: 1, B: 1}, 0.0), Seat(2, {A: 2, C: 2}, 0.0), Seat(3, {B: 3}, 0.0)]
    assert regular_stretch(HALL, A, seats, at("2023-03-09 10:00"), 20.0) == 1.0
    # A heavier matter at a window that does not serve A does not go ahead of A.
    assert regular_stretch(HALL, B, seats[:1], at("2023-03-09 10:00"), 20.0) == 1.0


def test_the_flat_stretch_without_history(monkeypatch):
    monkeypatch.setattr(estimate, "regular_rates", lambda hall, now: {})
    seats = [Seat(1, {A: 1, B: 2}, 0.0)]
    assert regular_stretch(HALL, A, seats, at("2023-03-09 10:00"), 20.0) == pytest.approx(
        REGULAR_STRETCH
    )
    assert regular_stretch(HALL, A, seats, at("2023-03-09 10:00"), 0.0) == 1.0


def test_scaled_by_the_heavier_matters_rate_over_the_wait(monkeypatch):
    # B: 4 regular visitors an hour from 09 to 17, but 12 from 10 to 11: a mean of 5 an hour.
    hours = {hour: 4.0 for hour in range(9, 17)} | {10: 12.0}
    # A's own and C's rates (C is lighter at the window) do not count.
    rates = {(B, False): hours, (A, False): {10: 99.0}, (C, False): {10: 99.0}}
    monkeypatch.setattr(estimate, "regular_rates", lambda hall, now: rates)
    seats = [Seat(1, {A: 2, B: 3, C: 1}, 0.0)]
    excess = REGULAR_STRETCH - 1
    # Waiting 10:00–10:30: 12 / 5.
    assert regular_stretch(HALL, A, seats, at("2023-03-09 10:00"), 30.0) == pytest.approx(
        1 + excess * 12 / 5
    )
    # 10:30–11:30: half an hour at 12, half at 4: 8 / 5.
    assert regular_stretch(HALL, A, seats, at("2023-03-09 10:30"), 60.0) == pytest.approx(
        1 + excess * 8 / 5
    )
    # 14:00–14:20: 4 / 5, less than the flat stretch.
    assert regular_stretch(HALL, A, seats, at("2023-03-09 14:00"), 20.0) == pytest.approx(
        1 + excess * 4 / 5
    )
