"""With the unit tree the model works at the first level (二级派单): the dispatcher is offered
first-level units, and the system dispatches to the first-level unit — never straight to a
居委会 — when the unit or the first-level suggestion is confident."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from hotline.dispatch import services
from hotline.dispatch.models import DispatchModel, ModelChange, Prediction
from hotline.orders import actions
from hotline.orders.models import Action, State
from hotline.org.models import Role
from tests.conftest import make_user
from tests.dispatch.guard import SMALL
from tests.dispatch.history import complaint_for, kept, register

WAGES = "公司拖欠工资，已经三个月没发了，要求给个说法。"  # b4, a 居委会 under 西街道 (west)


def model_units(order) -> list[str]:
    return [s["unit"].code for s in services.suggest(order) if s["source"] == "model"]


def test_the_dispatcher_is_offered_first_level_units(district, tree_model):
    order = register(district, WAGES)
    services.predict_and_maybe_dispatch(order)

    assert model_units(order) == ["west", "east"]
    stored = Prediction.objects.get(order=order, target="unit")
    assert stored.predicted == "b4"  # the unit level stays stored, with the version
    assert [code for code, _p in stored.first_level] == ["west", "east"]
    assert 0.0 <= stored.first_level_confidence <= 1.0


def test_a_model_without_the_tree_is_rolled_up_to_it(district, flat_model):
    order = register(district, WAGES)
    found = [s for s in services.suggest(order) if s["source"] == "model"]

    assert [s["unit"].code for s in found] == ["west", "east"]
    # The street's probability is the sum of its 居委会's: the other street gets the rest.
    assert found[0]["probability"] + found[1]["probability"] == pytest.approx(1.0)


@override_settings(AUTO_DISPATCH=True)
def test_a_confident_unit_is_dispatched_to_its_first_level_unit(district, tree, tree_model):
    DispatchModel.objects.filter(pk=tree_model.pk).update(threshold=0.0)
    order = register(district, WAGES)
    services.predict_and_maybe_dispatch(order)

    order.refresh_from_db()
    assert order.state == State.DISPATCHED and order.lead_unit == tree["west"]
    assert order.events.get(action=Action.DISPATCH).payload["auto"] is True


@override_settings(AUTO_DISPATCH=True)
def test_a_confident_sub_unit_is_assigned_inside_by_the_system(district, tree, tree_model):
    DispatchModel.objects.filter(pk=tree_model.pk).update(threshold=0.0)
    order = register(district, WAGES)
    services.predict_and_maybe_dispatch(order)

    order.refresh_from_db()
    assert order.lead_unit == tree["west"] and order.assigned_unit == tree["b4"]
    assigned = order.events.get(action=Action.ASSIGN_INSIDE)
    assert assigned.actor is None and assigned.payload["to_unit"] == "b4"


@override_settings(AUTO_DISPATCH=True)
def test_a_confident_first_level_alone_is_enough(district, tree, tree_model):
    DispatchModel.objects.filter(pk=tree_model.pk).update(threshold=None, first_level_threshold=0.0)
    order = register(district, WAGES)
    prediction = services.predict_and_maybe_dispatch(order)

    order.refresh_from_db()
    assert order.lead_unit == tree["west"] and prediction.auto_dispatched
    assert order.assigned_unit is None  # the street assigns inside itself


@override_settings(AUTO_DISPATCH=True)
def test_unsure_at_both_levels_the_dispatcher_decides(district, tree_model):
    DispatchModel.objects.filter(pk=tree_model.pk).update(
        threshold=1.01, first_level_threshold=1.01
    )
    order = register(district, WAGES)
    services.predict_and_maybe_dispatch(order)

    order.refresh_from_db()
    assert order.state == State.REGISTERED


@override_settings(AUTO_DISPATCH=True)
def test_a_closed_street_stops_auto_dispatch(district, tree, tree_model):
    DispatchModel.objects.filter(pk=tree_model.pk).update(threshold=0.0, first_level_threshold=0.0)
    tree["west"].active = False
    tree["west"].save(update_fields=["active"])
    order = register(district, WAGES)
    services.predict_and_maybe_dispatch(order)

    order.refresh_from_db()
    assert order.state == State.REGISTERED


def test_training_from_the_orders_learns_the_first_level(district, tree, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    for code in ("b0", "b1", "b3", "b4"):
        for i in range(6):
            order = register(district, complaint_for(code, seed=i))
            actions.dispatch(order, district.dan, lead_unit=tree[code])
            kept(order)
    row = services.train(services.training_set(), activate_it=False, **SMALL)

    model = services.load_model(row.version)
    assert list(model.first_level.classes) == ["east", "west"]
    assert row.metrics["first_level"]["method"] in ("roll_up", "combined", "separate")


@override_settings(AUTO_DISPATCH=True)
def test_the_report_judges_auto_dispatch_at_the_first_level(district, tree, tree_model):
    DispatchModel.objects.filter(pk=tree_model.pk).update(threshold=0.0)
    order = register(district, WAGES)
    services.predict_and_maybe_dispatch(order)  # to 西街道, assigned inside to 居委会 b4
    bella = make_user("bella", tree["b4"], Role.UNIT_HANDLER)
    order.refresh_from_db()
    actions.hand_back(order, bella, reason="不在本居委会辖区")  # the street keeps it itself
    kept(order)

    found = services.report(tree_model.version)

    assert found["compared"] == 1
    assert found["accuracy"] == 0.0  # the model said 居委会 b4; the street kept it
    assert found["first_level_accuracy"] == 1.0 and found["auto_precision"] == 1.0


def test_the_train_command_reports_both_thresholds_and_records_the_activation(
    district, tree, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    for code in ("b0", "b3"):
        for i in range(6):
            order = register(district, complaint_for(code, seed=i))
            actions.dispatch(order, district.dan, lead_unit=tree[code])
            kept(order)
    out, err = io.StringIO(), io.StringIO()

    call_command("dispatch", "train", "--folds", "2", stdout=out, stderr=err)

    trained = json.loads(out.getvalue())
    assert "threshold" in trained and "first_level_threshold" in trained
    assert err.getvalue()  # progress lines on stderr, the JSON alone on stdout
    change = ModelChange.objects.get(model__version=trained["version"])
    assert change.kind == "activated" and change.via == "command" and change.previous_version == ""
