"""The portal's knowledge-base search shows only what answers the question.

A citizen searching "common questions" got back every public article sharing any word with the
question, ranked, however weak: asking about a broken rubbish bin listed the 低保 article because
both say 申请. The as-you-type suggestions had a cutoff (a share of the best score); the search
a citizen asks explicitly had none. It now leaves out results far weaker than the best and, when
even the best covers too little of the question, says there is no good match and leads to 12345
and the online form. The cutoff (engine.PORTAL_CUTOFF) was chosen on the development questions
(`hotline kb evaluate --portal-cutoff`)."""

from __future__ import annotations

import pytest

from hotline.kb.search import index
from hotline.kb.search.engine import PORTAL_CUTOFF, Bm25Index, Cutoff, Hit, cut
from tests.kb.factory import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(district, rita):
    victor = district.victor
    return {
        "low_income": published(district.bureau, victor, rita),
        "housing": published(
            district.bureau,
            victor,
            rita,
            title="公共租赁住房申请",
            body="<p>公共租赁住房面向本市中低收入住房困难家庭，租金低于市场价。</p>",
            keywords="公租房",
        ),
        "parking": published(
            district.bureau,
            victor,
            rita,
            title="居民区错峰停车",
            body="<p>居民区夜间停车可以申请错峰共享停车位，每月收费两百元。</p>",
            keywords="停车",
        ),
    }


def test_a_question_nothing_answers_says_so(client, shelf):
    assert index.search("垃圾桶坏了怎么申请更换", public_only=True)  # shares 申请: listed before
    page = client.get("/portal/kb/", {"q": "垃圾桶坏了怎么申请更换"}).content.decode()
    assert 'data-testid="kb-result"' not in page
    assert 'data-testid="kb-no-good-match"' in page
    assert "12345" in page and 'href="/portal/submit/"' in page


def test_a_question_an_article_answers_finds_it_without_the_weak_ones(client, shelf):
    page = client.get("/portal/kb/", {"q": "低保申请条件和办理流程"}).content.decode()
    assert f"/portal/kb/{shelf['low_income'].pk}/" in page
    assert f"/portal/kb/{shelf['parking'].pk}/" not in page  # shares 申请 only
    assert 'data-testid="kb-no-good-match"' not in page


def test_the_cutoff_keeps_results_near_the_best_and_drops_the_rest():
    hits = [Hit(0, 10.0), Hit(1, 3.0), Hit(2, 2.0)]
    assert [h.doc for h in cut(hits, Cutoff(ratio=0.25), ideal=20.0)] == [0, 1]
    assert cut(hits, Cutoff(coverage=0.6), ideal=20.0) == []
    assert cut(hits, Cutoff(), ideal=20.0) == hits


def test_a_word_no_article_has_counts_against_the_best_match():
    engine = Bm25Index().build([{"body": "居民区夜间停车可以申请错峰共享停车位"}])
    best = engine.search("申请")[0].score
    assert best == pytest.approx(engine.ideal("申请"))  # covers all the question
    assert engine.ideal("垃圾桶坏了怎么申请") > 4 * best  # covers little of it
    assert PORTAL_CUTOFF.coverage * engine.ideal("垃圾桶坏了怎么申请") > best
