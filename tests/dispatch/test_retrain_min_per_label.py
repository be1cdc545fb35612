"""A scheduled retraining learns by the rule the active model was learnt by: the demo's model
learns a 居委会 from two kept orders, and the worker's first retraining (five per unit) dropped
every 居委会, so the demo's street was no longer suggested one."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.dispatch import retraining, services
from hotline.dispatch.models import DispatchModel
from hotline.orders import actions
from hotline.orders.models import WorkOrder
from tests.conftest import at
from tests.dispatch.guard import ORDER, SMALL, activate, history, recorded_model
from tests.dispatch.history import complaint_for, kept, register
from tests.orders.test_demo_orders import loaded  # noqa: F401 -- the fixture

NOW = at("2024-06-03 02:30")  # the month held out is May 2024
APRIL = at("2024-04-15 10:00")


@pytest.fixture
def april(district, units, settings, tmp_path):
    """Six kept orders per bureau in April, and three the street kept (a rare unit)."""
    settings.DATA_DIR = tmp_path
    history(district, units, APRIL, per_unit=6)
    for i in range(3):
        order = register(district, complaint_for(ORDER[0], seed=900 + i) + "（街道）")
        actions.dispatch(order, district.dan, lead_unit=district.street)
        kept(order)
        WorkOrder.objects.filter(pk=order.pk).update(registered_at=APRIL)
    return tmp_path


def _learnt(row: DispatchModel) -> set[str]:
    return set(services.load_model(row.version).classes_)


def test_the_retraining_keeps_the_active_models_minimum(april):
    active = recorded_model(april, at("2024-04-30 09:00"), at("2024-04-30 00:00"))
    DispatchModel.objects.filter(pk=active.pk).update(metrics={"min_per_label": 2})
    activate(DispatchModel.objects.get(pk=active.pk))

    new = retraining.retrain(NOW, **SMALL)

    assert "jnl" in _learnt(new)  # three orders: learnt, as by the model it may replace
    assert new.metrics["min_per_label"] == 2


def test_without_a_recorded_minimum_five_orders_are_needed(april):
    new = retraining.retrain(NOW, **SMALL)
    assert "jnl" not in _learnt(new) and new.metrics["min_per_label"] == 5
    # Asked for explicitly, the command line's figure wins.
    later = NOW + dt.timedelta(minutes=1)
    assert "jnl" in _learnt(retraining.retrain(later, min_per_label=3, **SMALL))


def test_the_demo_models_minimum_is_the_one_its_retraining_uses(
    loaded,  # noqa: F811
    settings,
    tmp_path,
    monkeypatch,
):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(services, "DEMO_MIN_ORDERS", 100)  # the test's district is small
    services.train_demo_models(lambda message: None)
    assert retraining.default_min_per_label() == services.DEMO_MIN_PER_LABEL == 2
