"""Search: Chinese folding, filters, snippets, learning from answers, reload after a publish."""

from __future__ import annotations

import pytest

from hotline.kb import actions
from hotline.kb.models import UseKind
from hotline.kb.search import index
from hotline.kb.search import text as kbtext
from hotline.kb.search.engine import Bm25Index, Memo
from tests.kb.factory import content, published
from tests.orders.factory import new_order


@pytest.fixture
def low_income(district, rita):
    return published(district.bureau, district.victor, rita)


@pytest.fixture
def street_lamp(district, rita):
    return published(
        district.street,
        district.una,
        rita,
        title="路灯不亮怎么报修",
        body="<p>路灯由街道城建办负责维护，报修后三个工作日内修复。</p>",
        keywords="路灯,报修",
        categories=[district.category],
        public=False,
    )


def _ids(results):
    return [r.article_id for r in results]


def test_traditional_query_finds_simplified_article_with_highlight(low_income, street_lamp):
    results = index.search("申請低保要什麼條件", public_only=False)
    assert _ids(results)[0] == low_income.pk
    assert "<mark>申请条件</mark>" in results[0].title_html or "<mark>" in results[0].snippet


def test_citizens_find_only_public_articles(low_income, street_lamp):
    assert _ids(index.search("路灯报修", public_only=False))[0] == street_lamp.pk
    assert street_lamp.pk not in _ids(index.search("路灯报修", public_only=True))


def test_filters_by_category_and_unit(district, low_income, street_lamp):
    by_parent_category = index.search(
        "报修 低保", public_only=False, category_id=district.category.parent_id
    )
    assert _ids(by_parent_category) == [street_lamp.pk]
    assert _ids(index.search("报修 低保", public_only=False, unit_id=district.bureau.pk)) == [
        low_income.pk
    ]


def test_a_publish_reaches_the_index_without_a_restart(district, rita, low_income, monkeypatch):
    monkeypatch.setattr(index, "STAMP_CHECK_SECONDS", 0)
    assert index.search("廉租房", public_only=False) == []
    published(district.bureau, district.victor, rita, title="廉租房申请", keywords="廉租房")
    assert len(index.search("廉租房", public_only=False)) == 1


def test_unpublished_changes_stay_out_of_search(district, rita, low_income, monkeypatch):
    monkeypatch.setattr(index, "STAMP_CHECK_SECONDS", 0)
    actions.edit(
        low_income, district.victor, content(district.bureau, title="特困供养"), reason="改名"
    )
    assert index.search("特困供养", public_only=False) == []
    assert index.search("低保", public_only=False)[0].title == "低保申请条件和办理流程"


def test_an_answer_teaches_the_search_the_citizens_words(district, low_income, monkeypatch):
    monkeypatch.setattr(index, "STAMP_CHECK_SECONDS", 0)
    assert index.search("吃不上饭 补助", public_only=False, with_orders=True) == []
    order = new_order(district, title="家里吃不上饭能领补助吗", description="失业后吃不上饭")
    actions.record_use(low_income, district.olga, UseKind.ANSWER, order=order)
    assert _ids(index.search("吃不上饭 补助", public_only=False, with_orders=True)) == [
        low_income.pk
    ]


def test_a_retired_article_leaves_search(district, rita, low_income, monkeypatch):
    monkeypatch.setattr(index, "STAMP_CHECK_SECONDS", 0)
    actions.retire(low_income, rita, reason="政策废止")
    assert index.search("低保", public_only=False) == []


def test_a_rebuild_tokenises_only_the_texts_that_changed():
    seen: list[str] = []

    def analyzer(text: str) -> list[str]:
        seen.append(text)
        return kbtext.terms(text)

    memo = Memo()
    docs = [{"title": "低保申请", "body": "需要户口簿"}, {"title": "公租房", "body": "租金低"}]
    old = Bm25Index(analyzer=analyzer).build(docs, memo=memo)
    seen.clear()
    new = Bm25Index(analyzer=analyzer).build([*docs, {"title": "廉租房", "body": "新政策"}], memo)
    assert seen == ["廉租房", "新政策"]
    assert new.search("廉租房")[0].doc == 2
    # An index still in use ignores the terms added after it (no error, only its own documents).
    assert [h.doc for h in old.search("廉租房 新政策")] == [1]


def test_searches_keep_the_previous_index_while_another_thread_rebuilds(
    district, rita, low_income, monkeypatch
):
    monkeypatch.setattr(index, "STAMP_CHECK_SECONDS", 0)
    assert index.search("低保", public_only=False)
    published(district.bureau, district.victor, rita, title="廉租房申请", keywords="廉租房")
    with index._lock:  # another thread is rebuilding
        assert index.search("廉租房", public_only=False) == []  # the previous index answers
    assert index.search("廉租房", public_only=False)[0].title == "廉租房申请"
