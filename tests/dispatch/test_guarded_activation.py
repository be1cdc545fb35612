"""Retraining learns from every order before the most recent complete month and replaces the
active model only when it is not worse on that month; the comparison is kept with the version."""

from __future__ import annotations

import io
import json

import pytest
import time_machine
from django.core.management import call_command

from hotline.dispatch import retraining, services
from hotline.dispatch.models import DispatchModel, ModelChange
from tests.conftest import at
from tests.dispatch.guard import SMALL, activate, history, recorded_model

NOW = at("2024-06-03 02:30")  # the month held out is May 2024
APRIL = at("2024-04-15 10:00")
MAY = at("2024-05-15 10:00")


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_a_better_model_replaces_a_worse_one(district, units, data_dir):
    # The active model learnt from a history where every order went one bureau too far.
    poor = recorded_model(data_dir, at("2024-04-30 09:00"), at("2024-04-30 00:00"), shift=1)
    activate(poor)
    history(district, units, APRIL, per_unit=8)
    history(district, units, MAY, per_unit=3, seed=1)

    new = retraining.retrain(NOW, **SMALL)

    assert new.active and services.active_version() == new.version
    c = new.comparison
    assert c["month"] == "2024-05" and c["orders"] == 18
    assert c["active_version"] == poor.version
    assert c["candidate_accuracy"] > c["active_accuracy"]
    assert c["decision"] == "activated" and not c["active_saw_month"]
    # Bureaus at the root are their own first level: the same figures one level up.
    assert c["candidate_first_level_accuracy"] == c["candidate_accuracy"]
    assert c["active_first_level_accuracy"] == c["active_accuracy"]
    assert new.trained_until == at("2024-05-01 00:00")
    assert new.training_size == 48  # April's orders only: May is held out
    change = ModelChange.objects.get(model=new)
    assert change.kind == "activated" and change.previous_version == poor.version
    assert change.via == "command" and change.actor is None
    assert change.reason_code == "not_worse" and "2024-05" in change.reason_shown


def test_a_worse_model_is_not_activated(district, units, data_dir):
    good = recorded_model(data_dir, at("2024-04-30 09:00"), at("2024-04-30 00:00"))
    activate(good)
    # Until May, Dan sent every complaint one bureau too far; in May he got them right.
    history(district, units, APRIL, per_unit=8, shift=1)
    history(district, units, MAY, per_unit=3, seed=1)

    new = retraining.retrain(NOW, **SMALL)

    new.refresh_from_db()
    assert not new.active and services.active_version() == good.version
    c = new.comparison
    assert c["candidate_accuracy"] < c["active_accuracy"]
    assert c["decision"] == "refused"
    refused = ModelChange.objects.get(model=new)
    assert refused.kind == "refused" and refused.previous_version == good.version
    assert refused.reason_code == "worse" and refused.reason == ""


def test_the_first_model_is_activated_without_a_comparison(district, units, data_dir):
    history(district, units, APRIL, per_unit=6)

    new = retraining.retrain(NOW, **SMALL)

    assert new.active
    assert new.comparison["active_version"] is None and new.comparison["orders"] == 0


def test_without_orders_in_the_month_the_active_model_stays(district, units, data_dir):
    good = recorded_model(data_dir, at("2024-04-30 09:00"), at("2024-04-30 00:00"))
    activate(good)
    history(district, units, APRIL, per_unit=6)

    new = retraining.retrain(NOW, **SMALL)

    assert not DispatchModel.objects.get(pk=new.pk).active
    assert new.comparison["decision"] == "refused"
    assert services.active_version() == good.version


def test_an_active_model_that_saw_the_month_is_flagged(district, units, data_dir):
    # Trained on everything up to 20 May: it has seen part of the month it is judged on.
    seen = recorded_model(data_dir, at("2024-05-20 09:00"), at("2024-05-20 00:00"))
    activate(seen)
    history(district, units, APRIL, per_unit=6)
    history(district, units, MAY, per_unit=2, seed=1)

    assert retraining.retrain(NOW, **SMALL).comparison["active_saw_month"] is True


def test_too_few_orders_before_the_month_is_an_error(district, units, data_dir):
    history(district, units, MAY, per_unit=6)
    with pytest.raises(ValueError, match="2024-05 之前可供学习的工单太少"):
        retraining.retrain(NOW, **SMALL)
    assert not DispatchModel.objects.exists()


def test_the_command_shows_progress_and_prints_the_comparison(district, units, data_dir):
    history(district, units, at("2024-04-15 10:00"), per_unit=6)
    history(district, units, at("2024-05-15 10:00"), per_unit=2, seed=1)
    out, err = io.StringIO(), io.StringIO()

    with time_machine.travel(NOW, tick=False):
        call_command("dispatch", "retrain", "--folds", "3", stdout=out, stderr=err)

    result = json.loads(out.getvalue())
    assert result["active"] and result["comparison"]["month"] == "2024-05"
    progress = err.getvalue()
    assert "2024-05 之前登记的工单" in progress and "训练完成" in progress
