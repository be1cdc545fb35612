"""The knowledge base in a real browser (production CSP):

- Olga (operator) types a consultation, finds the article beside the form and answers with it;
  the answer event records the article and its revision.
- Una's street closes a consultation; the upkeep task on her list leads her to update the
  article; Rita (knowledge reviewer) compares the revisions and publishes the change.
- A citizen on a phone finds a public article on the portal, and sees matches while describing a
  request on the submit form.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from hotline.kb import actions as kb_actions
from hotline.kb.actions import Content
from hotline.kb.models import Article, ArticleState, ArticleUse, UpkeepTask, UseKind
from hotline.kb.search import index
from hotline.kb.upkeep import create_tasks
from hotline.orders import actions
from hotline.orders.models import (
    Action,
    ContactWay,
    Event,
    Kind,
    ReplyResult,
    Satisfaction,
    WorkOrder,
)
from hotline.org.models import Role
from tests.browser.conftest import screenshot
from tests.conftest import make_user
from tests.orders.factory import new_order

pytestmark = pytest.mark.browser

MOBILE = {"width": 390, "height": 844}


@pytest.fixture
def kb(town, monkeypatch):
    """Rita the reviewer and three published articles (one internal)."""
    monkeypatch.setattr(index, "STAMP_CHECK_SECONDS", 0)
    index.forget()
    d = town.d
    rita = make_user("rita", d.centre, Role.KNOWLEDGE_REVIEWER)
    rita.first_name = "林芳"
    rita.save(update_fields=["first_name"])

    def publish(unit, author, **fields):
        article = kb_actions.create(author, Content(unit=unit, **fields))
        kb_actions.submit(article, author)
        kb_actions.publish(article, rita)
        return article

    pension = publish(
        d.bureau,
        d.victor,
        title="高龄老人营养补贴的申请和发放",
        body="<h2>申请条件</h2><p>本市户籍、年满90周岁的老人可申领高龄营养补贴。</p>"
        "<h2>发放时间</h2><p>每月15日前发放至本人社保卡账户。</p>"
        "<h2>办理渠道</h2><ul><li>户籍地社区事务受理服务中心</li><li>“随申办”线上申请</li></ul>",
        keywords="高龄补贴,营养补贴,老年人补贴",
        categories=[town.pension],
        source_name="上海市老年综合津贴制度实施办法",
        source_number="沪府办规〔2016〕17号",
        effective_on=dt.date(2024, 1, 1),
        review_by=dt.date(2027, 12, 31),
        public=True,
    )
    road = publish(
        d.street,
        d.una,
        title="人行道破损怎么报修",
        body="<p>人行道地砖松动、破损由街道城建办负责修复，一般5个工作日内处理。</p>",
        keywords="人行道,地砖,报修",
        categories=[town.road],
        public=True,
    )
    publish(
        d.street,
        d.una,
        title="夜间施工噪声内部处置口径",
        body="<p>夜间施工须持有夜间施工许可证，无证施工转城管执法。</p>",
        keywords="夜间施工,噪声",
        public=False,
    )
    return {"rita": rita, "pension": pension, "road": road}


def test_an_operator_answers_a_consultation_with_an_article(town, kb, open_as):
    pension = kb["pension"]
    olga = open_as(town.d.olga)
    olga.goto("/intake/")
    form = olga.locator("#intake-form")
    form.locator("input[name=citizen_phone]").fill("13601239876")
    form.locator("select[name=kind]").select_option(Kind.CONSULTATION)
    form.locator("input[name=title]").fill("咨询高龄补贴什么时候发")
    form.locator("textarea[name=description]").fill(
        "父亲满90岁了，想问营养补贴怎么申请、每月几号发放。"
    )
    suggestion = olga.locator(f"[data-testid=kb-suggestion][data-article='{pension.pk}']")
    expect(suggestion).to_be_visible(timeout=15_000)  # typed, debounced, searched: a loaded CI
    expect(olga.locator("[data-testid=kb-suggestion]").first).to_have_attribute(
        "data-article", str(pension.pk)
    )
    suggestion.locator("button[data-kb-answer]").click()
    expect(form.locator("textarea[name=answer_text]")).to_have_value(re.compile("每月15日前发放"))
    form.locator("select[name=category]").select_option(str(town.pension.pk))
    screenshot(olga, "kb-intake", full_page=True)
    with olga.expect_navigation():
        form.locator("button[name=save]").click()

    order = WorkOrder.objects.get(title="咨询高龄补贴什么时候发")
    answer = Event.objects.get(order=order, action=Action.ANSWER)
    assert answer.payload["kb_article"] == pension.pk
    assert answer.payload["kb_revision"] == pension.published_id
    assert ArticleUse.objects.filter(article=pension, kind=UseKind.ANSWER, order=order).exists()


def close_consultation(town):
    d = town.d
    order = new_order(
        d,
        kind=Kind.CONSULTATION,
        title="人行道修好要多久",
        description="西康路人行道地砖松了，报修后一般多久能修好？",
        category=town.road,
    )
    actions.dispatch(order, d.dan, lead_unit=d.street)
    actions.accept(order, d.una)
    actions.first_contact(order, d.una, way=ContactWay.PHONE)
    actions.reply(order, d.una, result=ReplyResult.EXPLAINED, text="一般3个工作日内修复。")
    actions.approve_reply(order, d.dan)
    actions.callback(order, d.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED)
    return order


def test_a_unit_updates_an_article_after_a_consultation_and_the_reviewer_publishes(
    town, kb, open_as
):
    road = kb["road"]
    order = close_consultation(town)
    create_tasks(order.closed_at)
    task = UpkeepTask.objects.get(order=order)

    una = open_as(town.d.una)
    una.goto("/kb/")
    tasks = una.locator("[data-testid=kb-tasks]")
    expect(tasks).to_contain_text(order.number)
    with una.expect_navigation():
        una.goto(f"/kb/{road.pk}/edit?task={task.pk}")
    form = una.locator("form.kb-form")
    form.locator("textarea[name=body]").fill(
        "<p>人行道地砖松动、破损由街道城建办负责修复，一般3个工作日内处理；"
        "影响通行的当天设置警示。</p>"
    )
    form.locator("textarea[name=reason]").fill(f"工单{order.number}：处理时限已缩短为3个工作日")
    with una.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(una.locator("[data-testid=kb-pending]")).to_be_visible()
    with una.expect_navigation():
        una.locator("button[data-action=submit]").click()
    expect(una.locator("[data-testid=kb-state]")).to_have_text("待审核")
    task.refresh_from_db()
    assert task.state == "done" and task.article_id == road.pk

    rita = open_as(kb["rita"])
    rita.goto("/kb/review/")
    with rita.expect_navigation():
        rita.locator(f"[data-testid=kb-queue] tr[data-article='{road.pk}'] a").first.click()
    with rita.expect_navigation():
        rita.locator("[data-testid=kb-compare]").first.click()
    diff = rita.locator("[data-testid=kb-diff]")
    expect(diff.locator(".kb-diff-add")).to_contain_text("3个工作日")
    expect(diff.locator(".kb-diff-del")).to_contain_text("5个工作日")
    screenshot(rita, "kb-diff", full_page=True)
    rita.go_back()
    screenshot(rita, "kb-review", full_page=True)
    # Publishing asks first (h5, session 24, L7), then says what was done.
    rita.locator("[data-testid=confirm-publish]").click()
    with rita.expect_navigation():
        rita.locator("button[data-action=publish]").click()
    expect(rita.locator("[data-testid=kb-state]")).to_have_text("已发布")
    expect(rita.locator(".messages")).to_contain_text("已发布，市民可在门户网站查到。")
    road.refresh_from_db()
    assert road.state == ArticleState.PUBLISHED and road.published.number == 2


def test_a_citizen_finds_a_public_article_on_the_phone(town, kb, open_as):
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/kb/")
    citizen.locator("input[name=q]").fill("老人营养补贴几号发")
    with citizen.expect_navigation():
        citizen.locator("form[role=search] button").click()
    results = citizen.locator("[data-testid=kb-portal-results] [data-testid=kb-result]")
    expect(results.first).to_contain_text("高龄老人营养补贴")
    expect(citizen.locator("[data-testid=kb-portal-results]")).not_to_contain_text("内部处置口径")
    expect(results.first.locator("mark").first).to_be_visible()
    screenshot(citizen, "kb-portal-search", full_page=True)
    with citizen.expect_navigation():
        results.first.locator("a").click()
    expect(citizen.locator("[data-testid=kb-portal-article]")).to_contain_text("每月15日前发放")
    screenshot(citizen, "kb-portal-article", full_page=True)

    # Describing a request: the form shows what may already answer it; sending still works.
    citizen.goto("/portal/submit/")
    citizen.locator("textarea[name=description]").fill("西康路人行道地砖破损了，怎么报修？")
    maybe = citizen.locator("[data-testid=kb-maybe-answered]")
    expect(maybe).to_contain_text("人行道破损怎么报修")
    # Styled like the portal's search results (no bullets, the soft highlight), not bare HTML.
    expect(maybe.locator("ul.kb-results")).to_have_css("list-style-type", "none")
    expect(maybe.locator("mark").first).to_have_css("background-color", "rgb(253, 230, 138)")
    expect(citizen.locator("#submit-form button[type=submit]")).to_be_enabled()


#: gunicorn's default limit on a request line (``hotline serve``): a longer one gets 414. The
#: test server allows 64 KiB, so the tests measure the line instead of waiting for a 414.
REQUEST_LINE_LIMIT = 4094
#: What a caller or a citizen says after the question: long, as people tell it.
STORY = "我们小区的老人很多，平时出门都走这条路，下雨天更滑，已经有人摔倒过，希望尽快处理。" * 20


def suggestion_request_lines(page):
    """The request line of every suggestion request the page sends, as the server reads it."""
    lines = []

    def watch(request):
        if "/suggest?" in request.url:
            lines.append(f"GET /{request.url.split('://', 1)[1].split('/', 1)[1]} HTTP/1.1")

    page.on("request", watch)
    return lines


def test_a_long_description_still_shows_what_may_answer_it_on_the_portal(town, kb, open_as):
    citizen = open_as(None, viewport=MOBILE)
    lines = suggestion_request_lines(citizen)
    citizen.goto("/portal/submit/")
    citizen.locator("textarea[name=description]").fill("西康路人行道地砖破损了，怎么报修？" + STORY)
    expect(citizen.locator("[data-testid=kb-maybe-answered]")).to_contain_text("人行道破损怎么报修")
    assert lines and all(len(line.encode()) <= REQUEST_LINE_LIMIT for line in lines), lines


def test_a_long_description_still_brings_suggestions_at_intake(town, kb, open_as):
    olga = open_as(town.d.olga)
    lines = suggestion_request_lines(olga)
    olga.goto("/intake/")
    form = olga.locator("#intake-form")
    form.locator("input[name=title]").fill("人行道地砖破损怎么报修")
    form.locator("textarea[name=description]").fill("西康路人行道地砖松了。" + STORY)
    suggestion = olga.locator(f"[data-testid=kb-suggestion][data-article='{kb['road'].pk}']")
    expect(suggestion).to_be_visible(timeout=15_000)
    assert lines and all(len(line.encode()) <= REQUEST_LINE_LIMIT for line in lines), lines


def test_back_and_save_again_does_not_write_a_second_article(town, kb, open_as):
    una = open_as(town.d.una)
    una.goto("/kb/new")
    form = una.locator("form.kb-form")
    form.locator("input[name=title]").fill("共享单车乱停放怎么处理")
    form.locator("textarea[name=body]").fill("<p>由街道城管中队清理，一般当天处理。</p>")
    with una.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(una.locator("[data-testid=kb-article]")).to_contain_text("当天处理")

    una.go_back()  # the tired author's second try: the form comes back as it was sent
    expect(una.locator("input[name=title]")).to_have_value("共享单车乱停放怎么处理")
    with una.expect_navigation():
        una.locator("form.kb-form button[type=submit]").click()
    expect(una.locator("ul.messages")).to_contain_text("未重复添加")
    assert Article.objects.filter(title="共享单车乱停放怎么处理").count() == 1


def test_a_long_link_and_a_wide_table_stay_inside_the_phone_screen(town, kb, open_as):
    d = town.d
    link = "https://www.shanghai.gov.cn/nw12344/20240101/" + "a" * 80 + ".html"
    columns = "".join(f"<td>Column{i}WithALongEnglishWord</td>" for i in range(8))
    article = kb_actions.create(
        d.una,
        Content(
            unit=d.street,
            title="共享单车停放规定 " + link,
            body=f"<p>详见 {link}</p><table><tr>{columns}</tr></table>",
            keywords="共享单车",
            public=True,
        ),
    )
    kb_actions.submit(article, d.una)
    kb_actions.publish(article, kb["rita"])
    citizen = open_as(None, viewport=MOBILE)
    for path in (f"/portal/kb/{article.pk}/", "/portal/kb/?q=共享单车停放"):
        citizen.goto(path)
        expect(citizen.locator(".kb-article, .kb-result").first).to_contain_text("共享单车")
        width = citizen.evaluate("document.documentElement.scrollWidth")
        assert width <= MOBILE["width"], f"{path} is {width}px wide on a {MOBILE['width']}px phone"


def test_a_whole_complaint_pasted_into_search_still_searches(town, kb, open_as):
    olga = open_as(town.d.olga)
    olga.goto("/kb/")
    olga.locator("form[role=search] input[name=q]").fill("人行道地砖破损怎么报修" + STORY)
    with olga.expect_navigation():
        olga.locator("form[role=search] button[type=submit]").click()
    request_line = f"GET /{olga.url.split('://', 1)[1].split('/', 1)[1]} HTTP/1.1"
    assert len(request_line.encode()) <= REQUEST_LINE_LIMIT, len(request_line.encode())
    expect(olga.locator("[data-testid=kb-result]").first).to_be_visible()

    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/kb/")
    citizen.locator("input[name=q]").fill("人行道地砖破损怎么报修" + STORY)
    with citizen.expect_navigation():
        citizen.locator("form[role=search] button").click()
    request_line = f"GET /{citizen.url.split('://', 1)[1].split('/', 1)[1]} HTTP/1.1"
    assert len(request_line.encode()) <= REQUEST_LINE_LIMIT, len(request_line.encode())
    expect(citizen.locator("[data-testid=kb-result]").first).to_contain_text("人行道破损怎么报修")


def test_a_citizen_sends_anyway_and_the_shown_article_did_not_help(town, kb, open_as):
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/submit/")
    form = citizen.locator("#submit-form")
    form.locator("select[name=category]").select_option(str(town.road.pk))
    form.locator("textarea[name=description]").fill("西康路人行道地砖破损了，怎么报修？")
    expect(citizen.locator("[data-testid=kb-maybe-answered]")).to_contain_text("人行道破损怎么报修")
    form.locator("input[name=address]").fill("静安区西康路100号")
    form.locator("input[name=phone]").fill("13601234567")
    with citizen.expect_navigation():
        form.locator("button[type=submit]").click()
    number = citizen.locator("[data-testid=number]").inner_text()
    order = WorkOrder.objects.get(number=number)
    uses = ArticleUse.objects.filter(kind=UseKind.NOT_HELPFUL)
    assert [(u.article_id, u.order_id) for u in uses] == [(kb["road"].pk, order.pk)]
    # Una's street keeps the article: its page counts it.
    una = open_as(town.d.una)
    una.goto(f"/kb/{kb['road'].pk}/")
    expect(una.locator("[data-testid=kb-uses-not_helpful]")).to_have_text("1")
