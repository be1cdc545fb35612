"""The worker retrains the unit model on the schedule DISPATCH_RETRAIN_DAYS sets (off by
default), in the night hour DISPATCH_RETRAIN_HOUR, one worker at a time."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from hotline.dispatch import retraining
from hotline.dispatch.models import DispatchModel, RetrainRun
from hotline.sla import worker
from tests.conftest import at
from tests.dispatch.guard import SMALL, history

NIGHT = at("2024-06-03 02:30")
APRIL = at("2024-04-15 10:00")


@pytest.fixture
def weekly(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    settings.DISPATCH_RETRAIN_DAYS = 7
    settings.DISPATCH_RETRAIN_HOUR = 2
    # The schedule trains with the full grid; the tests' histories are tiny, so train small.
    monkeypatch.setattr(retraining, "DEFAULT_GRID", SMALL["grid"])


@pytest.fixture
def april(district, units):
    history(district, units, APRIL, per_unit=6)


def test_it_is_off_unless_the_setting_says_so(april, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert worker.run_once(NIGHT)["dispatch_retrain"] == 0
    assert not DispatchModel.objects.exists()


def test_it_retrains_weekly_in_the_night_hour(april, weekly):
    assert retraining.retrain_if_due(NIGHT) == 1
    first = DispatchModel.objects.get()
    assert first.active and first.created_at == NIGHT
    run = RetrainRun.objects.get()
    assert run.started_at == NIGHT and run.finished_at is not None
    assert run.outcome  # the recorded reason, e.g. "no usable active model"

    assert retraining.retrain_if_due(NIGHT + dt.timedelta(days=1)) == 0
    assert retraining.retrain_if_due(NIGHT + dt.timedelta(days=7, hours=12)) == 0  # 14:30
    # A few minutes earlier in the hour than last week still counts.
    assert retraining.retrain_if_due(NIGHT + dt.timedelta(days=7, minutes=-20)) == 1
    assert DispatchModel.objects.count() == 2


def test_outside_the_hour_nothing_starts(april, weekly):
    assert retraining.retrain_if_due(at("2024-06-03 10:00")) == 0
    assert not RetrainRun.objects.exists()


def test_a_recent_model_postpones_the_first_run(april, weekly):
    retraining.retrain(at("2024-06-01 09:00"), **SMALL)  # trained by hand on Saturday
    assert retraining.retrain_if_due(NIGHT) == 0


def test_a_second_worker_does_not_train_the_same_run(april, weekly):
    # Another worker claimed this night's run a moment ago.
    RetrainRun.objects.create(target="unit", started_at=NIGHT - dt.timedelta(minutes=1))
    assert retraining.retrain_if_due(NIGHT) == 0
    assert not DispatchModel.objects.exists()


def test_a_failed_run_is_recorded_and_the_worker_goes_on(district, weekly):
    # No orders at all: nothing to learn from.
    assert retraining.retrain_if_due(NIGHT) == 1
    run = RetrainRun.objects.get()
    assert "可供学习的工单太少" in run.outcome and run.finished_at is not None  # zh-Hans
    assert retraining.retrain_if_due(NIGHT + dt.timedelta(hours=1)) == 0  # not every pass


@pytest.mark.django_db(transaction=True)
def test_the_worker_trains_in_a_thread_of_its_own(district, units, weekly):
    # Committed rows (transaction=True): the training thread has its own connection.
    history(district, units, APRIL, per_unit=6)

    assert worker.run_once(NIGHT)["dispatch_retrain"] == 1  # returns at once
    (thread,) = [t for t in threading.enumerate() if t.name == "dispatch-retrain"]
    thread.join(timeout=120)
    assert not thread.is_alive(), "the training thread was still running after 120 s"

    assert DispatchModel.objects.get().active
    assert RetrainRun.objects.get().finished_at is not None
