"""The order page in a real browser, as the people who use it every day: a dispatcher who lost a
race is told who won and keeps what he typed; the lead unit calls the citizen with one click; the
callback agent records every failed call; the unit picker finds units by pinyin initials; a
dispatcher works down the queue with "dispatch and open next"; an order prints on one clean page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from hotline.security.models import PhoneView
from tests.browser.conftest import screenshot
from tests.orders.factory import new_order, order_in

pytestmark = pytest.mark.browser


def panel(page, state: str):
    return page.locator(f"#order-panel[data-state={state}]")


def dialog(page, action: str):
    box = page.locator(f"details[data-action={action}]")
    if not box.evaluate("details => details.open"):
        box.locator("summary").click()
    expect(box.locator("form")).to_be_visible()
    return box


def pick(box, field: str, typed: str, name: str) -> None:
    """Choose a unit in the picker of ``field`` by typing (Chinese or pinyin initials)."""
    picker = box.locator(f".unit-picker[data-for$='_{field}']")
    picker.locator("input[type=search]").fill("")
    picker.locator("input[type=search]").press_sequentially(typed)
    picker.locator("li[role=option]:not(.context)", has_text=name).first.click()


def test_dan_loses_a_race_and_is_told_who_won_keeping_what_he_typed(town, open_as):
    d = town.d
    order = new_order(d, title="小区电梯停运三天", category=town.pension)
    dan = open_as(d.dan)
    first = dan
    second = dan.context.new_page()
    for page in (first, second):
        page.goto(f"/orders/{order.number}/")
        expect(panel(page, "registered")).to_be_visible()

    # The second tab: Dan picks the bureau and the street as co-unit and writes a note …
    box = dialog(second, "dispatch")
    pick(box, "lead_unit", "qmzj", d.bureau.name)
    pick(box, "co_units", "江宁", d.street.name)
    box.locator("textarea[name=note]").fill("请民政局联系物业核实电梯维保情况。")
    # … while the first tab sends it to the street.
    box_first = dialog(first, "dispatch")
    pick(box_first, "lead_unit", "jnl", d.street.name)
    box_first.locator("button.primary").click()
    expect(panel(first, "dispatched")).to_be_visible()

    box.locator("button.primary").click()
    refused = second.locator("[data-testid=refused]")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text(d.street.name)  # where the order went
    expect(refused).to_contain_text("陈东")  # who sent it there
    expect(refused.locator("[data-testid=your-input]")).to_contain_text("请民政局联系物业")
    expect(refused.locator("[data-testid=your-input]")).to_contain_text(d.bureau.name)
    # The panel is the current one; his choice waits in the redispatch dialog.
    expect(panel(second, "dispatched")).to_be_visible()
    redispatch = second.locator("details[data-action=redispatch]")
    expect(redispatch).to_have_attribute("open", "")
    expect(redispatch.locator("select[name=lead_unit]")).to_have_value(str(d.bureau.pk))
    screenshot(second, "order-lost-race", full_page=True)
    assert WorkOrder.objects.get(pk=order.pk).lead_unit == d.street


def test_una_reveals_the_callers_number_with_one_click(town, open_as):
    d = town.d
    order = new_order(d)
    actions.dispatch(order, d.dan, lead_unit=d.street, co_units=[d.bureau])
    actions.accept(order, d.una)
    una = open_as(d.una)
    una.goto(f"/orders/{order.number}/")
    phone = una.locator("[data-testid=phone]")
    expect(phone).to_have_text(order.masked_phone())
    una.locator("[data-testid=reveal-phone]").click()
    link = una.locator("[data-testid=phone-link]")
    expect(link).to_have_attribute("href", f"tel:{order.citizen_phone}")
    assert PhoneView.objects.filter(order=order, user=d.una).count() == 1

    # The bureau as a co-unit, and the leader, see it masked with nothing to reveal.
    for person in (d.victor, d.leo):
        page = open_as(person)
        page.goto(f"/orders/{order.number}/")
        expect(page.locator("[data-testid=phone]")).to_have_text(order.masked_phone())
        expect(page.locator("[data-testid=reveal-phone]")).to_have_count(0)


def test_cathy_records_failed_calls_and_the_third_closes_the_order(town, open_as):
    d = town.d
    order = order_in(State.REVIEWED, d)
    cathy = open_as(d.cathy)
    cathy.goto(f"/orders/{order.number}/")
    box = dialog(cathy, "callback")
    # No verdict chosen for her: submitting without one records nothing.
    assert box.locator("input[type=radio]:checked").count() == 0
    box.locator("button.primary").click()
    expect(panel(cathy, "reviewed")).to_be_visible()
    assert order.events.count() == WorkOrder.objects.get(pk=order.pk).version

    for attempt in (1, 2, 3):
        box = dialog(cathy, "callback_attempt")
        expect(box.locator("[data-testid=callback-attempts]")).to_contain_text(f"{attempt - 1} 次")
        box.locator("input[name=outcome][value=not_reached]").check()
        if attempt == 2:
            dialog(cathy, "callback")
            screenshot(cathy, "order-callback", full_page=True)
        box.locator("button.primary").click()
        expect(cathy.locator("ol.events li[data-action=callback_attempt]")).to_have_count(attempt)
        if attempt == 2:
            # Her desk says so too: this order is one failed call from closing as unreachable.
            cathy.goto("/desk/callback/")
            row = cathy.locator(f"tr[data-number='{order.number}']")
            expect(row.locator("[data-testid=failed-calls]")).to_have_text("未接通：2/3 次")
            screenshot(cathy, "callback-desk")
            cathy.goto(f"/orders/{order.number}/")
    expect(panel(cathy, "closed")).to_be_visible()
    expect(cathy.locator("ol.events li[data-action=close_unreachable]")).to_have_count(1)
    assert WorkOrder.objects.get(pk=order.pk).satisfaction == ""


def test_the_unit_picker_finds_units_by_pinyin_and_never_suggests_the_unit_that_returned_it(
    town, open_as
):
    d = town.d
    order = order_in(State.RETURNED, d)  # 江宁路街道 returned it
    dan = open_as(d.dan)
    dan.goto(f"/orders/{order.number}/")
    expect(dan.locator(f"[data-testid=suggestion][data-unit={d.street.code}]")).to_have_count(0)
    box = dialog(dan, "approve_return")
    picker = box.locator(".unit-picker[data-for$='_lead_unit']")
    search = picker.locator("input[type=search]")
    search.press_sequentially("qm")
    expect(picker.locator("li[role=option]:not(.context)")).to_have_text([d.bureau.name])
    search.press("Enter")  # the first match is highlighted: Enter picks it, submits nothing
    expect(box.locator("select[name=lead_unit]")).to_have_value(str(d.bureau.pk))
    expect(panel(dan, "returned")).to_be_visible()
    # Co-units are first-level units (review r1 M4): a neighbourhood committee is not offered;
    # typed Chinese finds the street; a chip shows it.
    co = box.locator(".unit-picker[data-for$='_co_units']")
    co.locator("input[type=search]").press_sequentially("三和")
    expect(co.locator("li[role=option]:not(.context)")).to_have_count(0)
    co.locator("input[type=search]").fill("")
    co.locator("input[type=search]").press_sequentially("江宁")
    co.locator("li[role=option]:not(.context)").first.click()
    expect(co.locator(".chip")).to_have_text([re.compile(d.street.name)])
    co.locator(".chip button").click()
    expect(co.locator(".chip")).to_have_count(0)
    box.locator("button.primary").click()
    expect(panel(dan, "dispatched")).to_be_visible()
    expect(dan.locator("[data-testid=lead-unit]")).to_contain_text(d.bureau.name)


def test_a_suggested_unit_is_chosen_with_one_click(town, open_as):
    d = town.d
    order = new_order(d, title="高龄补贴未到账", category=town.pension)  # suggests the bureau
    dan = open_as(d.dan)
    dan.goto(f"/orders/{order.number}/")
    box = dialog(dan, "dispatch")
    pick(box, "lead_unit", "jnl", d.street.name)
    dan.locator(f"[data-testid=suggestion][data-unit={d.bureau.code}]").click()
    expect(box.locator("select[name=lead_unit]")).to_have_value(str(d.bureau.pk))
    chosen = box.locator(".unit-picker[data-for$='_lead_unit'] .chip")
    expect(chosen).to_have_text([d.bureau.name])


def test_dan_dispatches_the_queue_with_one_click_per_order(town, open_as):
    """The dispatcher's clicks per order, counted: from the desk, each new order opens with the
    dispatch dialog open and the suggested unit chosen; "dispatch and open next" sends it and
    opens the next one."""
    d = town.d
    waiting = list(WorkOrder.objects.filter(state=State.REGISTERED).order_by("registered_at", "id"))
    assert len(waiting) >= 2
    dan = open_as(d.dan)
    clicks = 0

    def click(locator) -> None:
        nonlocal clicks
        clicks += 1
        locator.click()

    dan.goto("/desk/dispatch/")
    with dan.expect_navigation():
        click(dan.locator(f"tr[data-number='{waiting[0].number}'] a[href*='/orders/']"))
    screenshot(dan, "order-dispatch-next", full_page=True)
    for order in waiting:
        expect(dan.locator("[data-testid=number]")).to_have_text(order.number)
        box = dan.locator("details[data-action=dispatch][open]")
        expect(box.locator("select[name=lead_unit]")).not_to_have_value("")
        with dan.expect_navigation():
            click(box.locator("[data-testid=dispatch-next]"))
    expect(dan).to_have_url(re.compile(r"/desk/dispatch/"))
    per_order = (clicks - 1) / len(waiting)  # one click opened the first order from the desk
    print(f"dispatcher clicks per order: {per_order:g} ({clicks} for {len(waiting)} orders)")
    assert per_order == 1
    assert not WorkOrder.objects.filter(pk__in=[o.pk for o in waiting], state="registered")


def test_an_order_prints_on_one_clean_page(town, open_as, tmp_path):
    d = town.d
    order = order_in(State.CLOSED, d)
    sam = open_as(d.sam)
    sam.goto(f"/orders/{order.number}/")
    sam.emulate_media(media="print")
    for hidden in (".topbar", "details[data-action]", "form.comment-form", "form.attach-form"):
        for element in sam.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(sam.locator("ol.events")).to_be_visible()
    pdf = sam.pdf(path=str(tmp_path / "order.pdf"), format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
