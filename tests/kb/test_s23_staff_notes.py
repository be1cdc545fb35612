"""An article's note for staff (its <aside>: how operators answer, whom they may transfer to) is
never given to citizens (h5 M8): "Answer with this article" copied the whole article, staff
script included ("答复口径 — 市民来电咨询…按以上要点答复"), into the reply the citizen
reads, and the portal's article page showed it too. Staff still read it on the staff page."""

from __future__ import annotations

import csv

import pytest
from django.utils import translation

from hotline.kb.content import plain_text, public_part, sanitise
from hotline.kb.demo import generate
from tests.kb.factory import published

STAFF = "市民来电咨询低保的，按以上要点答复"
BODY = (
    "<h2>申请条件</h2><p>家庭人均月收入低于本市最低生活保障标准。</p>"
    f"<aside><h2>答复口径（内部）</h2><p>{STAFF}；情况特殊的，由热线转交区民政局。</p></aside>"
    "<h2>办理渠道</h2><p>街道社区事务受理服务中心。</p>"
)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def article(district, rita):
    return published(district.bureau, district.victor, rita, body=BODY)


def test_the_answer_text_leaves_the_staff_note_out(client, district, article):
    client.force_login(district.olga)
    html = client.get("/kb/suggest", {"title": "低保怎么申请"}).content.decode()
    assert f'data-article="{article.pk}"' in html
    assert "街道社区事务受理服务中心" in html  # the citizen's part is copied
    assert STAFF not in html and "答复口径" not in html


def test_the_portal_page_and_search_leave_the_staff_note_out(client, article):
    page = client.get(f"/portal/kb/{article.pk}/").content.decode()
    assert "家庭人均月收入" in page and "办理渠道" in page
    assert STAFF not in page and "答复口径" not in page
    found = client.get("/portal/kb/", {"q": "低保 按以上要点答复"}).content.decode()
    assert STAFF not in found


def test_staff_still_read_the_note_on_the_staff_page(client, district, article):
    client.force_login(district.olga)
    page = client.get(f"/kb/{article.pk}/").content.decode()
    assert STAFF in page and "<aside>" in page


def test_public_part_drops_every_aside_with_its_content():
    body = sanitise("<p>a</p><aside><p>b<aside>c</aside></p></aside><p>d</p>")
    assert "<aside>" in body  # kept for staff
    assert plain_text(public_part(body)) == "a\nd"


def test_the_demo_articles_keep_the_answer_script_for_staff():
    with open(generate.ARTICLES_CSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    scripts = [r for r in rows if "按以上要点答复" in r["body"]]
    assert scripts
    for row in scripts:
        assert "按以上要点答复" not in public_part(sanitise(row["body"]))
    assert "按以上要点答复" not in generate._CONSULT_SECTIONS.split("<aside>")[0]
