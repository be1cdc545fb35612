"""Search's filters without words: the list shows what the category, unit and "public only"
select (by title), not the unfiltered "recently published" list that looked like the answer."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.kb.factory import published


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def articles(district, rita):
    """A street lamp article under the level-3 category, a low-income one without, one internal."""
    lamp = published(
        district.street,
        district.una,
        rita,
        title="路灯不亮怎么报修",
        categories=[district.category],
    )
    income = published(district.bureau, district.victor, rita)  # 低保申请条件和办理流程
    internal = published(
        district.street,
        district.una,
        rita,
        title="路灯抢修内部口径",
        categories=[district.category],
        public=False,
    )
    return {"lamp": lamp, "income": income, "internal": internal}


def shown(page) -> str:
    html = page.content.decode()
    assert 'data-testid="kb-browse"' in html
    return html.split('data-testid="kb-browse"')[1].split("</section>")[0]


def test_a_top_level_category_lists_the_articles_below_it(client, district, articles):
    client.force_login(district.olga)
    top = district.category.parent.parent
    browse = shown(client.get("/kb/", {"q": "", "category": top.pk}))
    assert "路灯不亮怎么报修" in browse and "路灯抢修内部口径" in browse
    assert "低保申请条件和办理流程" not in browse


def test_a_unit_and_public_only_narrow_the_list(client, district, articles):
    client.force_login(district.olga)
    browse = shown(client.get("/kb/", {"unit": district.street.pk, "public": "1"}))
    assert "路灯不亮怎么报修" in browse
    assert "路灯抢修内部口径" not in browse and "低保申请条件和办理流程" not in browse
    assert "最近发布" not in client.get("/kb/", {"unit": district.street.pk}).content.decode()


def test_a_filter_that_selects_nothing_says_so(client, district, articles):
    client.force_login(district.victor)
    browse = shown(
        client.get("/kb/", {"category": district.category.pk, "unit": district.bureau.pk})
    )
    assert "该分类和单位下没有已发布的知识条目" in browse
