"""Ada rolls the dispatch model back in the admin: she picks the earlier version, says why, and
the record shows her, the reason and the version it replaced. Without a reason nothing changes."""

from __future__ import annotations

import pytest

from hotline.dispatch import services
from hotline.dispatch.models import ModelChange
from tests.conftest import at
from tests.dispatch.guard import activate, recorded_model
from tests.dispatch.history import make_units


@pytest.fixture
def versions(transactional_db, district, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    make_units()
    older = recorded_model(tmp_path, at("2024-05-01 09:00"), at("2024-05-01 00:00"))
    newer = recorded_model(tmp_path, at("2024-06-01 09:00"), at("2024-06-01 00:00"), shift=1)
    activate(newer)
    district.ada.is_staff = district.ada.is_superuser = True
    district.ada.save(update_fields=["is_staff", "is_superuser"])
    return older, newer


def roll_back(page, version: str, reason: str) -> None:
    page.goto("/admin/dispatch/dispatchmodel/")
    row = page.locator("#result_list tbody tr", has_text=version)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "roll_back")
    page.fill("input[name=reason]", reason)
    with page.expect_navigation():
        page.click("button[name=index]")


def test_ada_rolls_back_with_a_reason(open_as, district, versions, tmp_path):
    older, newer = versions
    page = open_as(district.ada)

    roll_back(page, older.version, " ")
    assert page.locator(".messagelist .error").is_visible()
    assert services.active_version() == newer.version

    roll_back(page, older.version, "新版本把电梯投诉派错了单位")
    assert page.locator(".messagelist li", has_text=older.version).is_visible()
    page.screenshot(path=str(tmp_path / "dispatch-model-rollback.png"), full_page=True)
    assert services.active_version() == older.version
    change = ModelChange.objects.get(model=older)
    assert change.actor == district.ada and change.reason == "新版本把电梯投诉派错了单位"

    page.goto(f"/admin/dispatch/dispatchmodel/{older.pk}/change/")
    assert page.get_by_text("新版本把电梯投诉派错了单位").is_visible()
    page.screenshot(path=str(tmp_path / "dispatch-model-page.png"), full_page=True)
