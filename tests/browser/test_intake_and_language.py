"""The operator's intake form in the browser, and the language switch in the header."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from hotline.orders.models import WorkOrder

pytestmark = pytest.mark.browser


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.locator("header select[name=language]").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def label(text: str) -> re.Pattern[str]:
    """A desk link: its label, then the badge with the work waiting there (once loaded)."""
    return re.compile(rf"^{re.escape(text)}( \d+)?$")


def test_language_switch_in_the_header(town, open_as):
    dan = open_as(town.d.dan)
    desk_link = dan.locator("nav.topnav a[href='/desk/dispatch/']")
    expect(dan.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(desk_link).to_have_text(label(zh("Dispatch desk")))
    assert zh("Dispatch desk") != "Dispatch desk"

    switch_language(dan, "en")
    expect(desk_link).to_have_text(label("Dispatch desk"))
    with dan.expect_navigation():  # the desk loaded (its language select's script too)
        desk_link.click()
    expect(dan.locator("main h1")).to_have_text("Dispatch desk")  # it sticks across pages
    expect(dan.locator("a[data-tab=new]")).to_contain_text("New")

    switch_language(dan, "zh-hans")
    expect(dan.locator("main h1")).to_have_text(zh("Dispatch desk"))
    expect(desk_link).to_have_text(label(zh("Dispatch desk")))


def test_intake_keeps_what_was_typed_and_shows_the_callers_history(town, open_as):
    d = town.d
    earlier = list(
        WorkOrder.objects.filter(citizen_phone=town.regular_caller).values_list("number", flat=True)
    )
    assert len(earlier) >= 2
    before = WorkOrder.objects.count()

    olga = open_as(d.olga)
    olga.goto("/intake/")
    form = olga.locator("#intake-form")
    phone = form.locator("input[name=citizen_phone]")
    expect(phone).to_be_focused()  # the operator starts typing the number at once
    history = olga.locator("#caller-history")

    # A regular caller: their earlier orders appear while the number is typed.
    phone.press_sequentially(town.regular_caller)
    expect(history.locator("ul.history li")).to_have_count(len(earlier))
    shown = history.locator("ul.history a").evaluate_all("links => links.map(a => a.textContent)")
    assert sorted(n.strip() for n in shown) == sorted(earlier)

    # A mistyped number: the form comes back with an error and everything else kept.
    phone.fill("1390176-22a8")
    typed = {
        "input[name=citizen_name]": "冯女士",
        "input[name=title]": "工地夜间施工噪声扰民",
        "textarea[name=description]": "昌平路工地每晚十点后仍在施工，噪声很大，影响休息。",
        "input[name=address]": "静安区昌平路 990 弄",
        "textarea[name=answer_text]": "",
    }
    for selector, value in typed.items():
        if value:
            form.locator(selector).fill(value)
    chosen = {
        "select[name=kind]": "complaint",
        "select[name=urgency]": "critical",
        "select[name=channel]": "phone",
        "select[name=street]": str(d.street.pk),
    }
    for selector, value in chosen.items():
        form.locator(selector).select_option(value)
    form.locator("input[data-filter-select=id_category]").press_sequentially("噪声")
    expect(form.locator("select[name=category]")).to_have_value(str(town.noise.pk))
    with olga.expect_navigation():
        form.locator("button[name=save]").click()

    expect(form.locator("input[name=citizen_phone] ~ ul.errorlist")).to_be_visible()
    expect(phone).to_have_value("1390176-22a8")
    for selector, value in typed.items():
        expect(form.locator(selector)).to_have_value(value)
    for selector, value in chosen.items():
        expect(form.locator(selector)).to_have_value(value)
    expect(form.locator("select[name=category]")).to_have_value(str(town.noise.pk))
    assert WorkOrder.objects.count() == before

    # The regular caller's number and a title of blanks: the page that says so shows their earlier
    # orders again, without Olga retyping the number.
    phone.fill(town.regular_caller)
    form.locator("input[name=title]").fill("   ")
    with olga.expect_navigation():
        form.locator("button[name=save]").click()
    expect(form.locator("input[name=title] ~ ul.errorlist")).to_be_visible()
    expect(history.locator("ul.history li")).to_have_count(len(earlier))
    form.locator("input[name=title]").fill(typed["input[name=title]"])
    assert WorkOrder.objects.count() == before

    # Corrected, it registers.
    phone.fill("13601234567")
    with olga.expect_navigation():
        phone.press("Control+Enter")
    expect(olga.locator("#order-panel[data-state=registered]")).to_be_visible()
    assert WorkOrder.objects.count() == before + 1
