"""An administrator rolls the unit model back to an earlier version, saying why; every
activation and rollback is recorded with who, when and why."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hotline.dispatch import retraining, services
from hotline.dispatch.models import DispatchModel, ModelChange
from hotline.org import demo
from hotline.org.models import User
from tests.conftest import at
from tests.dispatch.guard import activate, recorded_model


@pytest.fixture
def ada(district):
    """Ada, the administrator, as `hotline createuser --role admin` makes her: staff."""
    district.ada.is_staff = district.ada.is_superuser = True
    district.ada.save(update_fields=["is_staff", "is_superuser"])
    return district.ada


@pytest.fixture
def versions(district, settings, tmp_path):
    """Two recorded versions; the newer one is active."""
    settings.DATA_DIR = tmp_path
    older = recorded_model(tmp_path, at("2024-05-01 09:00"), at("2024-05-01 00:00"))
    newer = recorded_model(tmp_path, at("2024-06-01 09:00"), at("2024-06-01 00:00"), shift=1)
    activate(newer)
    return older, newer


def test_ada_rolls_back_in_the_admin_and_the_change_names_her(client, ada, versions):
    older, newer = versions
    client.force_login(ada)
    response = client.post(
        reverse("admin:dispatch_dispatchmodel_changelist"),
        {
            "action": "roll_back",
            "_selected_action": [older.pk],
            "reason": "新版本把物业投诉派给了交通局",
        },
    )
    assert response.status_code == 302
    assert services.active_version() == older.version
    change = ModelChange.objects.filter(model=older).get()
    assert change.kind == "rolled_back" and change.via == "admin"
    assert change.actor == ada and change.previous_version == newer.version
    assert change.reason == "新版本把物业投诉派给了交通局"


def test_the_admin_asks_why(client, ada, versions):
    older, newer = versions
    client.force_login(ada)
    client.post(
        reverse("admin:dispatch_dispatchmodel_changelist"),
        {"action": "roll_back", "_selected_action": [older.pk], "reason": " "},
    )
    assert services.active_version() == newer.version
    assert not ModelChange.objects.filter(model=older).exists()


def test_rollback_from_the_command_line(versions):
    older, newer = versions
    out = io.StringIO()
    call_command("dispatch", "rollback", older.version, "--reason", "accuracy dropped", stdout=out)

    assert json.loads(out.getvalue())["previous_version"] == newer.version
    assert services.active_version() == older.version
    change = ModelChange.objects.get(model=older)
    assert change.via == "command" and change.actor is None and change.reason == "accuracy dropped"

    out = io.StringIO()
    call_command("dispatch", "changes", stdout=out)
    listed = json.loads(out.getvalue())
    assert [(c["kind"], c["version"]) for c in listed][:2] == [
        ("rolled_back", older.version),
        ("activated", newer.version),
    ]


@pytest.mark.parametrize(
    ("version", "message"),
    [("nope", "没有派单模型 nope"), (None, "已是在用模型")],  # zh-Hans, the default
)
def test_the_command_refuses_an_unknown_or_active_version(versions, version, message):
    _older, newer = versions
    with pytest.raises(CommandError, match=message):
        call_command("dispatch", "rollback", version or newer.version, "--reason", "x")


def test_a_version_whose_files_are_gone_is_refused(versions, tmp_path):
    older, newer = versions
    (tmp_path / "models" / "dispatch" / older.version / "model.joblib").unlink()
    services._cache.clear()  # this process may hold the version in memory
    with pytest.raises(ValueError, match="模型文件无法使用"):
        retraining.rollback(older.version, reason="try", via="command")
    assert services.active_version() == newer.version
    assert DispatchModel.objects.get(pk=older.pk).active is False


def test_the_demo_reset_takes_the_record_with_the_users(ada, versions):
    older, _newer = versions
    retraining.rollback(older.version, reason="试一下", via="admin", actor=ada)

    demo.reset()  # would fail on the change that names Ada

    assert not ModelChange.objects.exists() and not User.objects.exists()


def test_the_model_list_shows_both_thresholds_as_a_person_reads_them(client, ada, versions):
    older, newer = versions
    DispatchModel.objects.filter(pk=newer.pk).update(
        threshold=0.28530131303740136, first_level_threshold=0.934070001
    )
    DispatchModel.objects.filter(pk=older.pk).update(threshold=None, first_level_threshold=None)
    client.force_login(ada)
    page = client.get(reverse("admin:dispatch_dispatchmodel_changelist")).content.decode()
    assert "0.2853" in page and "0.9341" in page
    assert "0.28530131303740136" not in page


def test_the_admin_does_not_activate_a_version_whose_files_are_gone(
    client, ada, versions, tmp_path
):
    # A database restored without the model files: 'activate' switched to the version anyway,
    # and the dispatcher's model suggestions and auto-dispatch stopped without a word.
    older, newer = versions
    (tmp_path / "models" / "dispatch" / older.version / "model.joblib").unlink()
    services._cache.clear()
    client.force_login(ada)
    response = client.post(
        reverse("admin:dispatch_dispatchmodel_changelist"),
        {"action": "activate", "_selected_action": [older.pk], "reason": "试一下"},
        follow=True,
    )
    assert services.active_version() == newer.version
    assert not ModelChange.objects.filter(model=older).exists()
    assert "模型文件无法使用" in response.content.decode()


@pytest.mark.parametrize("typed", ["-1", "1.5", "90"])
def test_the_admin_keeps_a_threshold_a_confidence_can_be_compared_with(
    client, ada, versions, typed
):
    # A confidence is between 0 and 1: a threshold of -1 dispatched every order on its own, 90
    # (meant as 90 %) none.
    _older, newer = versions
    DispatchModel.objects.filter(pk=newer.pk).update(threshold=0.5, first_level_threshold=0.6)
    client.force_login(ada)
    url = reverse("admin:dispatch_dispatchmodel_change", args=[newer.pk])
    for field in ("threshold", "first_level_threshold"):
        data = {"threshold": "0.5", "first_level_threshold": "0.6", field: typed}
        data.update({f"changes-{k}": v for k, v in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))})
        response = client.post(url, data)
        assert response.status_code == 200, field  # the form again, with the error
        assert "请填写 0 到 1 之间的数" in response.content.decode()
        row = DispatchModel.objects.get(pk=newer.pk)
        assert (row.threshold, row.first_level_threshold) == (0.5, 0.6)


def test_the_held_out_comparison_reads_which_figure_is_which(client, ada, versions):
    # The list read '2024-05: 0.8123 / 0.7999' (which is the new model? what was decided?) and
    # the version's page a JSON object with English keys.
    older, newer = versions
    DispatchModel.objects.filter(pk=newer.pk).update(
        comparison={
            "month": "2024-05",
            "orders": 412,
            "candidate_version": newer.version,
            "candidate_accuracy": 0.8123,
            "active_version": older.version,
            "active_accuracy": 0.7999,
            "active_saw_month": True,
            "candidate_first_level_accuracy": 0.9012,
            "active_first_level_accuracy": 0.8876,
            "decision": "activated",
        }
    )
    client.force_login(ada)
    listed = client.get(reverse("admin:dispatch_dispatchmodel_changelist")).content.decode()
    assert "2024-05：新模型 81.2%，在用模型 80.0%（已启用）" in listed
    assert "0.8123 / 0.7999" not in listed
    page = client.get(reverse("admin:dispatch_dispatchmodel_change", args=[newer.pk]))
    html = page.content.decode()
    assert "2024-05（412 件工单）" in html
    assert "主办单位：新模型 81.2%，在用模型 80.0%" in html
    assert "一级单位：新模型 90.1%，在用模型 88.8%" in html
    assert "在用模型训练时已见过该月的部分工单" in html
    assert "candidate_accuracy" not in html


def test_activating_the_active_model_again_records_nothing(client, ada, versions):
    # 'Activate' on the version already in use recorded an activation from itself to itself
    # ('previous version' its own), a change that never happened.
    _older, newer = versions
    before = ModelChange.objects.count()
    client.force_login(ada)
    response = client.post(
        reverse("admin:dispatch_dispatchmodel_changelist"),
        {"action": "activate", "_selected_action": [newer.pk], "reason": "再启用一次"},
        follow=True,
    )
    assert ModelChange.objects.count() == before
    assert f"{newer.version} 已是在用模型" in response.content.decode()


def test_an_overlong_reason_is_refused_from_the_command_line(versions):
    older, newer = versions
    with pytest.raises(CommandError, match="请控制在1000字以内（现有1001字）"):
        call_command("dispatch", "rollback", older.version, "--reason", "日" * 1001)
    assert services.active_version() == newer.version
    assert not ModelChange.objects.filter(model=older).exists()


@pytest.mark.parametrize("action", ["roll_back", "activate"])
def test_the_admin_says_the_reason_is_too_long_not_that_no_action_was_chosen(
    client, ada, versions, action
):
    older, newer = versions
    client.force_login(ada)
    response = client.post(
        reverse("admin:dispatch_dispatchmodel_changelist"),
        {"action": action, "_selected_action": [older.pk], "reason": "日" * 1001},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["请控制在1000字以内（现有1001字）。"]
    assert services.active_version() == newer.version
    assert not ModelChange.objects.filter(model=older).exists()
    # The pages' cap, not the admin's old 500: a 600-character reason is recorded whole.
    client.post(
        reverse("admin:dispatch_dispatchmodel_changelist"),
        {"action": action, "_selected_action": [older.pk], "reason": "日" * 600},
    )
    assert ModelChange.objects.get(model=older).reason == "日" * 600
