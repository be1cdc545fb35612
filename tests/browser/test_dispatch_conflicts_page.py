"""Ada opens the corrections report from the model list, narrows it to one unit, follows an order
and downloads the list as Excel — on the desktop and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.dispatch.history import complaint_for, make_units
from tests.dispatch.test_conflicting_units import LIFT, LIFT_TRADITIONAL, dispatched


@pytest.fixture
def lifts(transactional_db, district):
    units = make_units()
    d = district
    d.ada.is_staff = d.ada.is_superuser = True
    d.ada.save(update_fields=["is_staff", "is_superuser"])
    return units, (
        dispatched(d, LIFT, units["b3"]),
        dispatched(d, LIFT_TRADITIONAL, units["b1"]),
        dispatched(d, complaint_for("b4", seed=1), units["b4"]),
        dispatched(d, complaint_for("b4", seed=1), units["b5"]),
    )


def test_ada_reads_filters_follows_and_exports_the_conflicts(open_as, district, lifts, tmp_path):
    units, (_first, second, *_others) = lifts
    page = open_as(district.ada)
    page.goto("/admin/dispatch/dispatchmodel/")
    # The link navigates: wait for the report, not for whatever the list page still shows.
    with page.expect_navigation():
        page.get_by_test_id("conflicts-link").click()
    rows = page.get_by_test_id("conflict-row")
    expect(rows).to_have_count(2)
    page.screenshot(path=str(tmp_path / "dispatch-conflicts.png"), full_page=True)

    page.fill("input[name=unit]", units["b3"].name)
    with page.expect_navigation():
        page.get_by_test_id("conflict-filter").locator("input[type=submit]").click()
    assert rows.count() == 1 and page.locator("input[name=unit]").input_value() == units["b3"].name

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    with page.expect_navigation():
        rows.get_by_role("link", name=second.number).click()
    assert second.number in page.url and page.get_by_text(second.title).first.is_visible()


def test_the_page_fits_a_phone(open_as, district, lifts, tmp_path):
    page = open_as(district.ada)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/admin/dispatch/dispatchmodel/conflicts/")
    assert page.get_by_test_id("conflict-row").count() == 2
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(tmp_path / "dispatch-conflicts-phone.png"), full_page=True)
    assert overflow <= 0
