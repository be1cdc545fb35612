"""``hotline dispatch train`` without ``--csv``: the district's own history teaches the model."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command

from hotline.dispatch import services
from hotline.dispatch.models import DispatchModel
from hotline.orders import actions
from hotline.org.models import Role
from tests.conftest import make_user
from tests.dispatch.history import complaint_for, dispatched_history, kept, register


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("dispatch", *args, stdout=out)
    return json.loads(out.getvalue().strip())


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_it_learns_the_unit_that_finally_kept_the_order(district, units):
    d = district
    # Dan sent it to the wrong bureau, then redispatched it: the correction is the label.
    corrected = register(d, complaint_for("b4", seed=1))
    actions.dispatch(corrected, d.dan, lead_unit=units["b0"])
    actions.redispatch(corrected, d.dan, lead_unit=units["b4"], reason="属人社局职责")
    kept(corrected)
    # The bureau returned it and Dan approved the return to another bureau.
    returned = register(d, complaint_for("b5", seed=2))
    actions.dispatch(returned, d.dan, lead_unit=units["b1"])
    bob = make_user("bob", units["b1"], Role.UNIT_HANDLER)
    actions.request_return(returned, bob, reason="非我局职责")
    actions.approve_return(returned, d.dan, lead_unit=units["b5"])
    kept(returned)
    # Cancelled orders and orders never dispatched teach nothing.
    cancelled = register(d, complaint_for("b2", seed=3))
    actions.dispatch(cancelled, d.dan, lead_unit=units["b2"])
    actions.cancel(cancelled, d.sam, reason="重复来电")
    register(d, complaint_for("b3", seed=4))

    labels = services.final_units()
    assert labels == {corrected.pk: "b4", returned.pk: "b5"}
    data = services.training_set(min_per_label=1)
    assert sorted(data.labels) == ["b4", "b5"]


def test_train_from_orders_skips_rare_units_and_activates_the_version(district, units, data_dir):
    d = district
    dispatched_history(d, {c: units[c] for c in ("b0", "b1", "b2")}, per_unit=6)
    for i in range(2):  # the street got only two: too few to learn
        order = register(d, f"路灯不亮{i}，江宁路")
        actions.dispatch(order, d.dan, lead_unit=d.street)
        kept(order)

    trained = run("train", "--folds", "2", "--min-per-label", "3")

    assert trained["source"] == "orders"
    assert trained["training_size"] == 18 and trained["labels"] == 3
    assert trained["skipped_labels"] == 1 and trained["skipped_orders"] == 2
    row = DispatchModel.objects.get(version=trained["version"])
    assert row.active and row.target == "unit" and row.training_size == 18
    assert (data_dir / "models" / "dispatch" / row.version / "model.joblib").is_file()
    loaded = services.active_model()
    assert loaded is not None and loaded[0] == row


def test_no_activate_keeps_the_model_in_use(district, units, data_dir):
    dispatched_history(district, {c: units[c] for c in ("b0", "b1")}, per_unit=4)
    first = run("train", "--folds", "2", "--min-per-label", "2")
    register(district, "新的投诉")  # a different digest, hence a different version
    order = register(district, complaint_for("b0", seed=99))
    actions.dispatch(order, district.dan, lead_unit=units["b0"])
    kept(order)
    second = run("train", "--folds", "2", "--min-per-label", "2", "--no-activate")

    assert first["version"] != second["version"]
    assert list(DispatchModel.objects.filter(active=True).values_list("version", flat=True)) == [
        first["version"]
    ]


@pytest.mark.parametrize("target", ["unit", "category"])
def test_the_training_set_s_queries_do_not_grow_with_the_history(district, units, target):
    """The texts were read by one IN list of every labelled order's id: a district's history
    (100,000-300,000 orders) passes the databases' parameter limits."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def longest_in_list() -> int:
        """The longest IN list of the queries."""
        with CaptureQueriesContext(connection) as queries:
            data = services.training_set(target, min_per_label=1)
        assert data.texts
        lists = [
            found.count(",") + 1
            for q in queries.captured_queries
            for found in re.findall(r"IN \(([^()]*)\)", q["sql"])
        ]
        return max(lists, default=0)

    dispatched_history(district, {"b1": units["b1"], "b3": units["b3"]}, per_unit=2)
    short = longest_in_list()
    dispatched_history(district, {"b1": units["b1"], "b3": units["b3"]}, per_unit=6)
    assert longest_in_list() == short
