"""Dan at the dispatch desk works from the keyboard (j/k, Enter, d, ?), and a new call appears as
"1 new order" without moving his selection or his scroll; Una signs for orders with "s"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from tests.orders.factory import new_order

pytestmark = pytest.mark.browser


def selected(page) -> str | None:
    row = page.locator("#order-table tr.selected")
    return row.get_attribute("data-number") if row.count() else None


def test_dan_moves_through_the_desk_by_keyboard_and_new_calls_do_not_move_him(
    town, open_as, settings
):
    settings.DESK_REFRESH_SECONDS = 1
    d = town.d
    for i in range(25):  # enough rows to scroll
        new_order(d, title=f"井盖缺失 {i + 1}", citizen_phone=f"1390000{i:04d}")
    dan = open_as(d.dan)
    dan.goto("/desk/dispatch/")
    waiting = WorkOrder.objects.filter(
        state__in=[State.REGISTERED, State.RETURNED, State.REPLIED]
    ).count()
    expect(dan.locator("[data-testid=badge-dispatch_desk]")).to_have_text(str(waiting))
    rows = dan.locator("#order-table tbody tr[data-number]")
    numbers = rows.evaluate_all("rows => rows.map(r => r.dataset.number)")

    dan.keyboard.press("j")
    assert selected(dan) == numbers[0]
    for _ in range(12):
        dan.keyboard.press("j")
    dan.keyboard.press("k")
    assert selected(dan) == numbers[11]
    scroll = dan.evaluate("window.scrollY")
    assert scroll > 0

    # "?" lists the shortcuts; Esc closes the list.
    dan.keyboard.press("?")
    expect(dan.locator("#desk-help")).to_be_visible()
    expect(dan.locator("#desk-help")).to_contain_text("派单")
    dan.keyboard.press("Escape")
    expect(dan.locator("#desk-help")).to_be_hidden()

    # A call comes in: a line says so; the table, selection and scroll stay.
    olga_call = new_order(d, title="小区门口积水", citizen_phone="13911112222")
    news = dan.locator("[data-testid=desk-news]")
    expect(news).to_contain_text("有 1 件新工单")
    expect(dan.locator("#count-new")).to_have_text(str(len(numbers) + 1 - _not_new(numbers)))
    assert selected(dan) == numbers[11]
    assert dan.evaluate("window.scrollY") == scroll
    assert dan.locator(f"tr[data-number='{olga_call.number}']").count() == 0

    news.click()
    expect(dan.locator(f"tr[data-number='{olga_call.number}']")).to_be_visible()
    # the same order is still selected (restored once htmx has settled the new table)
    expect(dan.locator("#order-table tr.selected")).to_have_attribute("data-number", numbers[11])
    expect(news).to_have_count(0)

    # "d" opens the selected order with the dispatch form.
    with dan.expect_navigation():
        dan.keyboard.press("d")
    expect(dan.locator("[data-testid=number]")).to_have_text(numbers[11])
    expect(dan.locator("details[data-action=dispatch]")).to_have_attribute("open", "")


def _not_new(numbers: list[str]) -> int:
    return WorkOrder.objects.filter(number__in=numbers).exclude(state=State.REGISTERED).count()


def test_una_signs_for_orders_with_s_and_the_next_one_is_selected(town, open_as):
    d = town.d
    first = new_order(d, title="路灯不亮", citizen_phone="13922223333")
    second = new_order(d, title="树枝挡住路牌", citizen_phone="13922224444")
    for order in (first, second):
        actions.dispatch(order, d.dan, lead_unit=d.street)
    una = open_as(d.una)
    una.goto("/desk/unit/?tab=to_accept")
    badge = una.locator("[data-testid=badge-unit_inbox]")
    expect(badge).to_have_text(re.compile(r"^\d+$"))  # the counts come after the page
    before = int(badge.inner_text())
    row = una.locator(f"tr[data-number='{first.number}']")
    una.keyboard.press("j")
    while selected(una) != first.number:
        una.keyboard.press("j")
    una.keyboard.press("s")
    expect(row).to_have_count(0)
    expect(badge).to_have_text(str(before - 1))
    assert WorkOrder.objects.get(pk=first.pk).state == State.ACCEPTED
    assert selected(una) is not None and selected(una) != first.number
    # Enter opens the selected order.
    with una.expect_navigation():
        una.keyboard.press("Enter")
    expect(una.locator("[data-testid=number]")).to_have_text(selected_number_from(una))


def selected_number_from(page) -> str:
    return page.url.rstrip("/").rsplit("/", 1)[-1]
