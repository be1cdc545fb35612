"""The portal's knowledge-base search shows only what answers the question.

A citizen searching "common questions" got back every public article sharing any word with the
question, ranked, however weak (the low-income article listed for a parking question because
both say 申请). The as-you-type suggestions had a cutoff (a share of the best score); the search
a citizen asks explicitly had none. It now leaves out results far weaker than the best and, when
even the best covers too little of the question's words (or nothing shares one), says there is
no good match and leads to 12345 and the online form. The cutoff (engine.PORTAL_CUTOFF) was
chosen on the development questions (`hotline kb evaluate --portal-cutoff`)."""

from __future__ import annotations

import numpy as np
import pytest

from hotline.kb.search import index
from hotline.kb.search.engine import PORTAL_CUTOFF, Bm25Index, Cutoff, Hit, cut
from tests.kb.factory import published

pytestmark = pytest.mark.django_db


TOPICS = {
    "housing": (
        "公共租赁住房申请",
        "公共租赁住房面向本市中低收入住房困难家庭，租金低于市场价。",
        "公租房",
    ),
    "parking": ("居民区错峰停车", "居民区夜间停车可以申请错峰共享停车位，每月收费两百元。", "停车"),
    "rubbish": (
        "垃圾分类投放时间",
        "湿垃圾和干垃圾在定时定点投放，投放点由居委会公布。",
        "垃圾分类",
    ),
    "noise": (
        "夜间施工噪声投诉",
        "夜间施工需取得夜间施工许可，未经许可的可向城管执法部门投诉。",
        "噪声",
    ),
    "pets": ("养犬登记和年检", "养犬人应当为犬只办理养犬登记，每年进行年检和狂犬病免疫。", "养犬"),
}


@pytest.fixture
def shelf(district, rita):
    victor = district.victor
    articles = {"low_income": published(district.bureau, victor, rita)}
    for key, (title, body, keywords) in TOPICS.items():
        articles[key] = published(
            district.bureau, victor, rita, title=title, body=f"<p>{body}</p>", keywords=keywords
        )
    return articles


def test_a_question_no_article_answers_says_so(client, shelf):
    page = client.get("/portal/kb/", {"q": "我家的猫咪走丢了"}).content.decode()
    assert 'data-testid="kb-result"' not in page
    assert 'data-testid="kb-no-good-match"' in page
    assert "12345" in page and 'href="/portal/submit/"' in page


def test_a_question_an_article_answers_finds_it_without_the_weak_ones(client, shelf):
    listed = index.search("低保申请条件和办理流程", public_only=True)
    assert shelf["parking"].pk in [r.article_id for r in listed]  # without the cutoff
    page = client.get("/portal/kb/", {"q": "低保申请条件和办理流程"}).content.decode()
    assert f"/portal/kb/{shelf['low_income'].pk}/" in page
    assert f"/portal/kb/{shelf['parking'].pk}/" not in page  # shares 申请 only
    assert 'data-testid="kb-no-good-match"' not in page


def test_the_cutoff_keeps_results_near_the_best_and_drops_the_rest():
    hits = [Hit(0, 10.0), Hit(1, 3.0), Hit(2, 2.0)]
    assert [h.doc for h in cut(hits, Cutoff(ratio=0.25), covered=0.9)] == [0, 1]
    assert cut(hits, Cutoff(coverage=0.6), covered=0.5) == []
    assert cut(hits, Cutoff(), covered=0.0) == hits


def test_a_question_matched_only_by_its_question_words_has_no_good_match(client, shelf):
    # 可以 is in the parking article ("可以申请"); nothing else of the question is anywhere.
    question = "请问是否可以上门收旧家电"
    assert index.search(question, public_only=True)  # listed before
    page = client.get("/portal/kb/", {"q": question}).content.decode()
    assert 'data-testid="kb-result"' not in page
    assert 'data-testid="kb-no-good-match"' in page


def test_coverage_is_on_the_questions_content():
    engine = Bm25Index().build(
        [{"body": "居民区夜间停车可以申请错峰共享停车位"}, {"body": "公共租赁住房申请"}]
    )
    assert engine.coverage("停车怎么申请", 0) > 0.9
    assert engine.coverage("公租房怎么申请", 0) < engine.coverage("公租房怎么申请", 1)
    assert engine.coverage("怎么可以", 0) == 0.0  # only question words


def test_the_ideal_is_every_known_word_at_its_best_among_the_allowed():
    engine = Bm25Index().build(
        [{"body": "居民区夜间停车可以申请错峰共享停车位"}, {"body": "公共租赁住房申请"}]
    )
    both = engine.search("停车 公租房")
    assert engine.ideal("停车 公租房") == pytest.approx(sum(h.score for h in both))
    # A word no article has is no part of it: a pasted complaint's story is not held against it.
    assert engine.ideal("停车 猫咪走丢") == pytest.approx(engine.ideal("停车"))
    only_first = np.array([True, False])
    assert engine.ideal("停车 公租房", only_first) == pytest.approx(both[0].score)
    assert PORTAL_CUTOFF.coverage < 0.5


def test_a_much_used_article_sharing_one_common_word_is_still_left_out(shelf, district):
    """r1's review of session 17: the ratio was taken on the ranking's score, which adds the
    articles' use; the 低保 article, opened 50 times by operators, stayed above 0.25 of the
    parking article for 小区停车位申请 though it shares only 申请 with it. The cutoff judges
    the texts (its values were chosen on text scores alone)."""
    from hotline.kb import actions
    from hotline.kb.models import UseKind

    for _ in range(50):
        actions.record_use(shelf["low_income"], district.olga, UseKind.CLICK, query="低保")
    found = [
        r.article_id for r in index.search("小区停车位申请", public_only=True, cutoff=PORTAL_CUTOFF)
    ]
    assert shelf["parking"].pk in found
    assert shelf["low_income"].pk not in found
