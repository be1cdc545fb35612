"""The knowledge-base pages: search, article, edit, review, diff, portal — through the client."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from hotline import clock
from hotline.kb import actions
from hotline.kb.models import Article, ArticleState, ArticleUse, UseKind
from hotline.kb.upkeep import create_tasks
from hotline.orders import actions as order_actions
from tests.kb.factory import content, published
from tests.kb.test_upkeep import closed_consultation
from tests.orders.factory import new_order


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def login(client, user):
    # The login form itself is tested elsewhere (tests/security, tests/browser).
    client.force_login(user)
    return client


@pytest.fixture
def low_income(district, rita):
    return published(district.bureau, district.victor, rita)


def test_an_operator_searches_and_opening_a_result_is_recorded(client, district, low_income):
    page = login(client, district.olga).get("/kb/", {"q": "低保 申请条件"})
    assert page.status_code == 200
    assert f"/kb/{low_income.pk}/?q=" in page.content.decode()
    article = client.get(f"/kb/{low_income.pk}/", {"q": "低保"})
    assert "家庭人均月收入" in article.content.decode()
    assert ArticleUse.objects.filter(kind=UseKind.CLICK, query="低保").count() == 1


def _change(district, article) -> dict:
    """The bureau's proposed change to the low-income article, as its edit form sends it."""
    return {
        "title": "低保申请条件和办理流程",
        "body": "<p>家庭人均月收入低于1510元。</p>",
        "keywords": "低保",
        "unit": district.bureau.pk,
        "reason": "2025年标准调整",
        "public": "on",
        "version": article.version,
    }


def test_a_unit_proposes_a_change_and_the_reviewer_publishes_it(client, district, rita, low_income):
    login(client, district.victor)
    edit = client.post(f"/kb/{low_income.pk}/edit", _change(district, low_income))
    assert edit.status_code == 302
    client.post(f"/kb/{low_income.pk}/act/submit", {"version": low_income.version + 1})
    low_income.refresh_from_db()
    assert low_income.state == ArticleState.IN_REVIEW
    assert client.post(f"/kb/{low_income.pk}/act/publish").status_code == 302
    low_income.refresh_from_db()
    assert low_income.state == ArticleState.IN_REVIEW  # Victor may not publish

    login(client, rita)
    queue = client.get("/kb/review/").content.decode()
    assert "2025年标准调整" in queue
    diff = client.get(f"/kb/{low_income.pk}/diff").content.decode()
    assert "1510" in diff and "kb-diff-add" in diff
    client.post(f"/kb/{low_income.pk}/act/publish", {"version": low_income.version})
    low_income.refresh_from_db()
    assert low_income.state == ArticleState.PUBLISHED and low_income.published.number == 2


def test_another_unit_cannot_open_the_edit_page(client, district, low_income):
    assert login(client, district.una).get(f"/kb/{low_income.pk}/edit").status_code == 403


def test_a_bad_form_keeps_what_was_typed(client, district):
    login(client, district.victor)
    page = client.post(
        "/kb/new",
        {"title": "", "body": "<p>正文保留</p>", "unit": district.bureau.pk},
    )
    assert page.status_code == 200 and "正文保留" in page.content.decode()
    assert not Article.objects.exists()


def test_leaving_the_edit_page_reads_cancel_not_void(client, district, low_income):
    # "Cancel" alone is a work order's 作废 (void); leaving an edit is 取消.
    page = login(client, district.victor).get(f"/kb/{low_income.pk}/edit").content.decode()
    assert ">取消</a>" in page and "作废" not in page


def test_citizens_find_public_articles_on_the_portal(client, district, rita, low_income):
    internal = published(district.bureau, district.victor, rita, title="低保内部口径", public=False)
    page = client.get("/portal/kb/", {"q": "低保"}).content.decode()
    assert f"/portal/kb/{low_income.pk}/" in page and f"/portal/kb/{internal.pk}/" not in page
    assert client.get(f"/portal/kb/{internal.pk}/").status_code == 404
    assert client.get(f"/portal/kb/{low_income.pk}/").status_code == 200
    draft = actions.create(district.victor, content(district.bureau, title="草稿"))
    assert client.get(f"/portal/kb/{draft.pk}/").status_code == 404
    suggest = client.get("/portal/kb/suggest", {"title": "申请低保", "description": "条件"})
    assert 'data-testid="kb-maybe-answered"' in suggest.content.decode()
    assert f"/portal/kb/{low_income.pk}/" in suggest.content.decode()


def test_intake_suggestions_offer_the_answer_text(client, district, low_income):
    page = login(client, district.olga).get("/kb/suggest", {"title": "低保怎么申请"})
    html = page.content.decode()
    assert f'data-article="{low_income.pk}"' in html
    assert 'data-testid="kb-internal"' not in html  # a public article
    assert f'data-revision="{low_income.published_id}"' in html
    assert login(client, district.una).get("/kb/suggest", {"title": "x"}).status_code == 403


def test_reply_help_shows_the_units_own_satisfied_replies_only(client, district):
    earlier = closed_consultation(district)  # 低保怎么申请, satisfied, at the street
    current = new_order(district, title="想问低保申请流程", description="低保申请需要什么")
    order_actions.dispatch(current, district.dan, lead_unit=district.street)
    page = login(client, district.una).get("/kb/reply-help", {"order": current.number})
    assert earlier.number in page.content.decode()
    assert (
        login(client, district.victor).get("/kb/reply-help", {"order": current.number}).status_code
        == 404
    )


def test_reply_help_shows_a_co_handling_unit_none_of_the_lead_units_other_orders(client, district):
    earlier = closed_consultation(district)  # 低保怎么申请, satisfied, at the street
    current = new_order(district, title="想问低保申请流程", description="低保申请需要什么")
    order_actions.dispatch(
        current, district.dan, lead_unit=district.street, co_units=[district.bureau]
    )
    page = login(client, district.victor).get("/kb/reply-help", {"order": current.number})
    assert page.status_code == 200  # Victor's bureau co-handles this order
    assert earlier.number not in page.content.decode()
    assert "已告知申请条件" not in page.content.decode()  # the street's reply stays the street's
    assert client.get(f"/orders/{earlier.number}/").status_code == 404


def test_a_new_article_sent_twice_is_saved_once(client, district):
    login(client, district.una)
    page = client.get("/kb/new").content.decode()
    token = page.split('name="submission" value="')[1].split('"')[0]
    form = {
        "title": "人行道破损怎么报修",
        "body": "<p>由街道城建办修复。</p>",
        "unit": district.street.pk,
        "public": "on",
        "submission": token,
    }
    first = client.post("/kb/new", form)
    again = client.post("/kb/new", form, follow=True)
    assert Article.objects.filter(title="人行道破损怎么报修").count() == 1
    assert first.url == f"/kb/{Article.objects.get().pk}/"
    assert again.redirect_chain == [("/kb/", 302)]
    assert "该表单已提交过，未重复添加" in again.content.decode()


def test_a_refused_new_article_keeps_its_token_for_the_corrected_send(client, district):
    login(client, district.una)
    form = {"title": "人行道破损怎么报修", "body": "<p></p>", "unit": district.street.pk}
    refused = client.post("/kb/new", {**form, "submission": "a" * 32})
    assert 'name="submission" value="' + "a" * 32 in refused.content.decode()
    client.post("/kb/new", {**form, "body": "<p>由街道城建办修复。</p>", "submission": "a" * 32})
    assert Article.objects.filter(title="人行道破损怎么报修").count() == 1


def test_the_unit_inbox_points_to_upkeep_tasks(client, district):
    order = closed_consultation(district)
    create_tasks(order.closed_at)
    page = login(client, district.una).get("/desk/unit/").content.decode()
    assert 'data-testid="kb-upkeep-banner"' in page and "1 件已办结的咨询件" in page
    assert (
        "kb-upkeep-banner" not in login(client, district.victor).get("/desk/unit/").content.decode()
    )


def test_reloading_a_portal_article_counts_one_click_a_day_per_address(
    client, district, low_income
):
    # Each counted click raises the article's popularity prior: reloading must not push it up.
    url = f"/portal/kb/{low_income.pk}/"
    for _ in range(5):
        assert client.get(url, {"q": "低保"}).status_code == 200
    clicks = ArticleUse.objects.filter(article=low_income, kind=UseKind.CLICK)
    assert clicks.count() == 1
    client.get(url, {"q": "低保 申请"}, REMOTE_ADDR="10.0.0.7")  # another citizen
    assert clicks.count() == 2
    with time_machine.travel(clock.now() + dt.timedelta(days=1, minutes=1), tick=False):
        client.get(url, {"q": "低保"})
    assert clicks.count() == 3


def test_an_internal_article_is_marked_internal_among_the_intake_suggestions(
    client, district, rita
):
    internal = published(district.bureau, district.victor, rita, title="低保内部口径", public=False)
    html = (
        login(client, district.olga).get("/kb/suggest", {"title": "低保内部口径"}).content.decode()
    )
    row = html.split(f'data-article="{internal.pk}"')[1].split("</li>")[0]
    assert 'data-testid="kb-internal"' in row and ">内部</span>" in row


def test_reloading_an_article_from_a_search_counts_one_click_a_day_per_person(
    client, district, low_income
):
    # The staff's clicks raise the popularity prior too: reloading must not push an article up.
    login(client, district.olga)
    for _ in range(4):
        client.get(f"/kb/{low_income.pk}/", {"q": "低保"})
    clicks = ArticleUse.objects.filter(article=low_income, kind=UseKind.CLICK)
    assert clicks.count() == 1
    login(client, district.una).get(f"/kb/{low_income.pk}/", {"q": "低保"})  # someone else
    assert clicks.count() == 2
    with time_machine.travel(clock.now() + dt.timedelta(days=1, minutes=1), tick=False):
        login(client, district.olga).get(f"/kb/{low_income.pk}/", {"q": "低保"})
    assert clicks.count() == 3


def test_publish_sent_twice_says_published_not_an_error(client, district, rita, low_income):
    """A double click on Publish (or Back and send again) answered 'cannot publish a published
    article' though the first sending had published it. The second sending of the same form —
    the change from the version it showed was this very action by this person — says it is
    done; someone else's change meanwhile is still an error."""
    login(client, district.victor)
    client.post(f"/kb/{low_income.pk}/edit", _change(district, low_income))
    client.post(f"/kb/{low_income.pk}/act/submit", {"version": low_income.version + 1})
    low_income.refresh_from_db()
    shown = low_income.version

    login(client, rita)
    first = client.post(f"/kb/{low_income.pk}/act/publish", {"version": shown}, follow=True)
    second = client.post(f"/kb/{low_income.pk}/act/publish", {"version": shown}, follow=True)
    assert _last_message(first) == "success"
    assert _last_message(second) == "success"
    low_income.refresh_from_db()
    assert low_income.version == shown + 1  # published once

    # Another person's stale page: an error, as before.
    other = client.post(f"/kb/{low_income.pk}/act/retire", {"version": shown, "reason": "x"})
    assert other.status_code == 302
    login(client, district.victor)
    stale = client.post(f"/kb/{low_income.pk}/act/submit", {"version": shown}, follow=True)
    assert _last_message(stale) == "error"


def _last_message(response) -> str:
    return list(response.context["messages"])[-1].level_tag


def test_the_edit_page_names_the_text_box_as_the_articles_text(client, district):
    # "Text" is also the order search's box, 关键词 in Chinese: the article's text read 关键词
    # twice on the page, above the body and above the keywords.
    page = login(client, district.victor).get("/kb/new").content.decode()
    assert '<label for="id_body">正文' in page
    assert page.count(">关键词") == 1
