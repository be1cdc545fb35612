"""One order from the call to the archive, each person in their own browser.

Olga registers it at intake, Dan dispatches it from the dispatch desk, Una signs for it, contacts
the caller and replies, Dan approves the reply, Cathy calls the citizen back: the order is closed
and its timeline tells the whole story. The screenshots in docs/screenshots/ are taken on the way.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import State, WorkOrder
from tests.browser.conftest import DESKTOP, TABLET, open_tab, screenshot

pytestmark = pytest.mark.browser

STORY = ["register", "dispatch", "accept", "first_contact", "reply", "approve_reply", "callback"]


def panel(page, state: str):
    return page.locator(f"#order-panel[data-state={state}]")


def open_action(page, action: str):
    """Open one action's dialog on the order page; returns the dialog."""
    dialog = page.locator(f"details[data-action={action}]")
    if not dialog.evaluate("details => details.open"):  # the dispatch dialog opens by itself
        dialog.locator("summary").click()
    expect(dialog.locator("form")).to_be_visible()
    return dialog


def open_desk(page, desk_url: str, tab: str, number: str, shot: str = "") -> None:
    """Open a desk's tab, find the order in it (screenshot), open the order."""
    page.goto(desk_url)
    open_tab(page, tab)
    row = page.locator(f"tr[data-number='{number}']")
    expect(row).to_be_visible()
    if shot:
        screenshot(page, shot)
    with page.expect_navigation():
        row.locator("a[href*='/orders/']").click()
    expect(page.locator("[data-testid=number]")).to_have_text(number)


def test_an_order_from_the_call_to_the_archive(town, open_as):
    d = town.d
    anonymous = open_as(None)
    anonymous.goto("/accounts/login/")
    screenshot(anonymous, "login")

    # Olga takes the call: a regular caller, so their history shows while she types.
    olga = open_as(d.olga)
    olga.goto("/intake/")
    form = olga.locator("#intake-form")
    form.locator("input[name=citizen_phone]").press_sequentially(town.regular_caller)
    expect(olga.locator("#caller-history ul.history li").first).to_be_visible()
    form.locator("input[name=citizen_name]").fill("吴先生")
    form.locator("select[name=urgency]").select_option("urgent")
    form.locator("input[name=title]").fill("江宁路昌平路口路灯不亮")
    form.locator("textarea[name=description]").fill(
        "江宁路昌平路口东北角两盏路灯连续三晚不亮，路口车多，夜里行人过马路很危险，请尽快修复。"
    )
    form.locator("input[name=address]").fill("静安区江宁路 1018 号")
    category_filter = form.locator("input[data-filter-select=id_category]")
    category_filter.press_sequentially("路灯")
    expect(form.locator("select[name=category]")).to_have_value(str(d.category.pk))
    screenshot(olga, "intake")
    with olga.expect_navigation():
        category_filter.press("Control+Enter")
    expect(panel(olga, "registered")).to_be_visible()
    number = olga.locator("[data-testid=number]").inner_text().strip()
    order = WorkOrder.objects.get(number=number)
    assert (order.citizen_phone, order.urgency, order.category) == (
        town.regular_caller,
        "urgent",
        d.category,
    )

    # Dan dispatches it from the desk; the panel is swapped in place (no page load).
    dan = open_as(d.dan)
    screenshot(dan, "home-dispatcher")
    open_desk(dan, "/desk/dispatch/", "new", number, shot="dispatch-desk")
    expect(panel(dan, "registered")).to_be_visible()
    dan.evaluate("window.__stillHere = 'yes'")
    dialog = open_action(dan, "dispatch")
    # The unit picker: pinyin initials find 江宁路街道 in the tree.
    dialog.locator(".unit-picker").first.locator("input[type=search]").press_sequentially("jnl")
    dialog.locator(".unit-picker").first.locator("li[role=option]:not(.context)").first.click()
    expect(dialog.locator("select[name=lead_unit]")).to_have_value(str(d.street.pk))
    dialog.locator("textarea[name=note]").fill("路灯维护属街道，请尽快安排修复。")
    screenshot(dan, "order-dispatch", full_page=True)
    dialog.locator("button[type=submit]").click()
    expect(panel(dan, "dispatched")).to_be_visible()
    assert dan.evaluate("window.__stillHere") == "yes", "the page reloaded instead of swapping"
    expect(dan.locator("[data-testid=lead-unit]")).to_contain_text(d.street.name)

    # Una finds it in her inbox, signs for it, calls the citizen and replies.
    una = open_as(d.una)
    una.goto("/desk/unit/")
    expect(una.locator(f"tr[data-number='{number}']")).to_be_visible()
    una.set_viewport_size(TABLET)
    screenshot(una, "unit-inbox-tablet")
    una.set_viewport_size(DESKTOP)
    open_desk(una, "/desk/unit/", "to_accept", number, shot="unit-inbox")
    open_action(una, "accept").locator("button[type=submit]").click()
    expect(panel(una, "accepted")).to_be_visible()
    dialog = open_action(una, "first_contact")
    dialog.locator("input[name=way][value=phone]").check()
    dialog.locator("textarea[name=note]").fill("已电话联系吴先生，约定今晚到现场查看。")
    dialog.locator("button[type=submit]").click()
    expect(una.locator("ol.events li[data-action=first_contact]")).to_have_count(1)
    dialog = open_action(una, "reply")
    dialog.locator("input[name=result][value=resolved]").check()
    dialog.locator("textarea[name=text]").fill(
        "经现场查看，两盏路灯因线路老化断电，已于当晚更换线路并恢复照明，已电话告知市民。"
    )
    screenshot(una, "order-unit", full_page=True)
    dialog.locator("button[type=submit]").click()
    expect(panel(una, "replied")).to_be_visible()

    # Dan approves the reply from the review tab.
    open_desk(dan, "/desk/dispatch/", "review", number)
    open_action(dan, "approve_reply").locator("button[type=submit]").click()
    expect(panel(dan, "reviewed")).to_be_visible()

    # Cathy calls the citizen back: resolved and satisfied closes the order.
    cathy = open_as(d.cathy)
    open_desk(cathy, "/desk/callback/", "due", number, shot="callback-desk")
    dialog = open_action(cathy, "callback")
    dialog.locator("input[name=resolved][value=yes]").check()
    dialog.locator("input[name=satisfaction][value=satisfied]").check()
    dialog.locator("button[type=submit]").click()
    expect(panel(cathy, "closed")).to_be_visible()

    timeline = cathy.locator("ol.events li[data-action]")
    assert timeline.evaluate_all("items => items.map(li => li.dataset.action)") == STORY
    cathy.reload()
    expect(panel(cathy, "closed")).to_be_visible()
    screenshot(cathy, "order-timeline", full_page=True)
    order.refresh_from_db()
    assert order.state == State.CLOSED
    assert list(order.events.order_by("seq").values_list("action", flat=True)) == STORY
