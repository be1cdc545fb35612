"""Query expansion: an article found only through a synonym, ranked below the words as typed."""

from __future__ import annotations

import pytest

from hotline.kb import actions
from hotline.kb.search import index
from hotline.kb.search.engine import Bm25Index
from hotline.kb.search.synonyms import Group, Synonyms
from tests.kb.factory import published

DOCS = [
    {"body": "年满六十五岁并设籍本市的长者，可以免费乘坐公交。"},  # what 资格 asks, in other words
    {"body": "敬老卡遗失的，带身份证到街道补办。"},
    {"body": "申请资格以户籍为准。"},  # the query's own word
]
QUALIFY = Synonyms([Group(("资格", "年满", "符合"))])


def test_a_query_finds_an_article_only_through_a_synonym():
    plain = Bm25Index().build(DOCS)
    expanded = Bm25Index(synonyms=QUALIFY, synonym_weight=0.3).build(DOCS)
    assert [h.doc for h in plain.search("资格")] == [2]
    assert [h.doc for h in expanded.search("资格")] == [2, 0]


def test_a_synonym_scores_its_weight_times_what_the_word_itself_would():
    docs = [{"body": "年满"}, {"body": "另一篇"}]
    as_typed = Bm25Index().build(docs).scores("年满")[0]
    through = Bm25Index(synonyms=QUALIFY, synonym_weight=0.3).build(docs).scores("资格")[0]
    assert through == pytest.approx(0.3 * as_typed, rel=1e-5)


def test_one_way_groups_expand_from_their_first_term_only():
    one_way = Synonyms([Group(("带什么", "检附", "应备"), one_way=True)])
    assert one_way.expansions("办敬老卡要带什么") == ["应备", "检附"]
    assert one_way.expansions("检附哪些文件") == []


def test_the_longest_term_wins_and_single_characters_never_trigger():
    table = Synonyms([Group(("工作", "就业")), Group(("工作天", "工作日")), Group(("费用", "元"))])
    assert table.expansions("几个工作天") == ["工作日"]
    assert table.expansions("一百元") == []
    assert table.expansions("費用多少") == ["元"]  # Traditional folded like everywhere


def test_a_new_synonym_reaches_search_without_a_restart(district, rita, monkeypatch):
    monkeypatch.setattr(index, "STAMP_CHECK_SECONDS", 0)
    article = published(
        district.bureau,
        district.victor,
        rita,
        title="敬老卡办理",
        body="<p>年满六十五岁并设籍本市的长者可以办理敬老卡。</p>",
        keywords="敬老卡",
    )
    assert index.search("老人资格", public_only=False) == []
    group = actions.create_group(rita, "资格/年满/符合")
    assert [r.article_id for r in index.search("老人资格", public_only=False)] == [article.pk]
    actions.remove_group(group, rita)
    assert index.search("老人资格", public_only=False) == []
