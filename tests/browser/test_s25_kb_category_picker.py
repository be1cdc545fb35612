"""The knowledge base's categories are picked like the dispatch dialog's co-units (h5, session
24, L8): a ~300-line multi-select needed Ctrl-click, and a plain click on a second category
silently dropped the first. Now: type a name (or its pinyin initials), click, a chip shows it;
a second click adds the second; each chip removes its own."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.kb.models import Article

pytestmark = pytest.mark.browser


def test_two_categories_are_chosen_with_plain_clicks_and_saved(town, open_as):
    una = open_as(town.d.una)
    una.goto("/kb/new")
    form = una.locator("form.kb-form")
    form.locator("input[name=title]").fill("老人补贴和道路维修")
    form.locator("textarea[name=body]").fill("两件事的说明。")
    picker = form.locator(".unit-picker[data-for=id_categories]")
    search = picker.locator("input[type=search]")
    search.press_sequentially("老年人")
    expect(picker.locator("li.context")).to_have_text(["社会保障", "养老服务"])  # where it sits
    picker.locator("li[role=option]:not(.context)", has_text=town.pension.name).click()
    search.fill("")
    search.press_sequentially("dlps")  # 道路破损 by its initials
    picker.locator("li[role=option]:not(.context)", has_text=town.road.name).click()
    expect(picker.locator(".chip")).to_have_count(2)
    with una.expect_navigation():
        form.locator("button[type=submit]").click()
    article = Article.objects.get(title="老人补贴和道路维修")
    assert set(article.head.categories.all()) == {town.pension, town.road}


def test_a_chip_removes_its_category(town, open_as):
    una = open_as(town.d.una)
    una.goto("/kb/new")
    picker = una.locator(".unit-picker[data-for=id_categories]")
    picker.locator("input[type=search]").press_sequentially("道路")
    picker.locator("li[role=option]:not(.context)", has_text=town.road.name).click()
    expect(picker.locator(".chip")).to_have_count(1)
    picker.locator(".chip button").click()
    expect(picker.locator(".chip")).to_have_count(0)
    expect(una.locator("select[name=categories] option:checked")).to_have_count(0)
