"""The synonyms list in a real browser (production CSP): Rita, the knowledge reviewer, adds a
group, edits it in place (HTMX: the row becomes a form and back, the page stays), and a search for
资格 then finds the article that only says 年满."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.kb import actions as kb_actions
from hotline.kb.actions import Content
from hotline.kb.models import SynonymEvent, SynonymGroup
from hotline.kb.search import index
from hotline.org.models import Role
from tests.browser.conftest import screenshot
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_the_reviewer_adds_and_edits_a_group_and_search_uses_it(town, open_as, monkeypatch):
    monkeypatch.setattr(index, "STAMP_CHECK_SECONDS", 0)
    index.forget()
    d = town.d
    rita = make_user("rita", d.centre, Role.KNOWLEDGE_REVIEWER)
    article = kb_actions.create(
        rita,
        Content(
            title="敬老卡办理",
            body="<p>年满六十五岁并设籍本市的长者，可以到街道办理敬老卡。</p>",
            unit=d.bureau,
            keywords="敬老卡",
            public=True,
        ),
    )
    kb_actions.submit(article, rita)
    kb_actions.publish(article, rita)

    page = open_as(rita)
    page.goto("/kb/?q=敬老卡资格审核")
    expect(page.locator(f"a[href^='/kb/{article.pk}/']")).to_have_count(1)
    page.goto("/kb/?q=资格审核")
    expect(page.locator(f"a[href^='/kb/{article.pk}/']")).to_have_count(0)

    page.goto("/kb/")
    with page.expect_navigation():
        page.get_by_role("link", name="同义词").click()
    add = page.locator("[data-testid=synonym-add]")
    add.locator("input[name=terms]").fill("资格、条件")
    with page.expect_navigation():
        add.locator("button[type=submit]").click()
    groups = page.locator("[data-testid=synonym-groups]")
    expect(groups).to_contain_text("资格 / 条件")

    group = SynonymGroup.objects.get()
    row = groups.locator(f"tr[data-group='{group.pk}']")
    row.get_by_role("link", name="编辑").click()  # in place: no navigation
    terms = row.locator("input[name=terms]")
    expect(terms).to_have_value("资格/条件")
    terms.fill("资格/条件/年满")
    row.get_by_role("button", name="保存").click()
    expect(row).to_contain_text("资格 / 条件 / 年满")
    screenshot(page, "kb-synonyms", full_page=True)
    expect(page).to_have_url(f"{page.url.split('/kb/')[0]}/kb/synonyms/")
    assert SynonymEvent.objects.filter(group=group).count() == 2

    page.goto("/kb/?q=资格审核")
    expect(page.locator(f"a[href^='/kb/{article.pk}/']")).to_have_count(1)


def test_removing_a_group_asks_first_in_the_row(town, open_as):
    rita = make_user("rita", town.d.centre, Role.KNOWLEDGE_REVIEWER)
    group = kb_actions.create_group(rita, "户口/户籍")
    page = open_as(rita)
    page.goto("/kb/synonyms/")
    row = page.locator(f"tr[data-group='{group.pk}']")
    row.locator("button[type=submit]").click()
    question = page.locator("[data-testid=synonym-remove-confirm]")
    expect(question).to_contain_text("户口 / 户籍")
    page.locator("[data-action=keep]").click()
    expect(question).to_have_count(0)
    expect(row).to_contain_text("户口 / 户籍")
    group.refresh_from_db()
    assert group.active  # asking changed nothing

    row.locator("button[type=submit]").click()
    question.locator("input[name=reason]").fill("与户籍管理无关")
    question.locator("[data-action=confirm-remove]").click()
    expect(page.locator(f"tr[data-group='{group.pk}']")).to_have_count(0)
    group.refresh_from_db()
    assert not group.active
    assert SynonymEvent.objects.filter(group=group, reason="与户籍管理无关").count() == 1
