"""Online pre-review (网上预审) at 大宁路, in real Chromium under the production CSP.

陈丽 opens the portal on her phone and uploads two of 居住证's four materials; Wendy asks once for
the rental contract; 陈丽 sends it from the link on her page; Wendy passes it. Next she takes a
real-name ticket at the kiosk with the same mobile: the window desk says she was pre-reviewed,
and the case opened when service starts shows the pre-review, so nothing is asked again.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.matters.models import Matter
from hotline.prereview.models import PreReview
from tests.browser.conftest import screenshot
from tests.browser.test_cases import ct, kiosk_ticket, open_case  # noqa: F401
from tests.browser.test_hall_story import MOBILE, act, sign_in
from tests.conftest import PASSWORD
from tests.prereview.conftest import PDF, PNG

pytestmark = pytest.mark.browser

CHEN_PHONE = "13812345678"  # the mobile kiosk_ticket types


def upload(page, material_pk: int, name: str, body: bytes, mime: str) -> None:
    page.locator(f"input[name=material_{material_pk}]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": body}]
    )


def test_chen_is_pre_reviewed_on_her_phone_and_not_asked_again_at_the_window(
    ct,  # noqa: F811
    open_as,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    Matter.objects.filter(pk=ct.residence.pk).update(prereview_allowed=True)
    materials = {m.name: m.pk for m in ct.residence.materials.all()}
    code = ct.town.hall.code
    assert PASSWORD  # the clerks log in through the form

    chen = open_as(None, viewport=MOBILE)
    chen.goto("/portal/")
    with chen.expect_navigation():
        chen.locator("[data-testid=go-prereview]").click()
    with chen.expect_navigation():
        chen.locator(f"[data-testid=prereview-{code}-jzz]").click()
    chen.locator("input[name=name]").fill("陈丽")
    chen.locator("input[name=phone]").fill(CHEN_PHONE)
    upload(chen, materials["居民身份证"], "身份证.pdf", PDF, "application/pdf")
    upload(chen, materials["居住登记表"], "登记表.png", PNG, "image/png")
    screenshot(chen, "prereview-portal-upload", full_page=True)
    with chen.expect_navigation():
        chen.locator("#prereview-form button[type=submit]").click()
    expect(chen.locator("[data-testid=status]")).to_have_attribute("data-state", "submitted")
    number = chen.locator("[data-testid=number]").inner_text()
    chen_link = chen.url

    wendy = open_as(ct.town.wendy)
    wendy.goto("/prereview/")
    with wendy.expect_navigation():
        wendy.locator(f"tr[data-number='{number}'] a").click()
    expect(wendy.locator("[data-testid=material-row][data-files='1']")).to_have_count(2)
    # Bad input first: asking for more without saying what is refused, nothing changes.
    ask = wendy.locator("[data-testid=ask-more-form]")
    ask.locator(f"input[name=missing][value='{materials['房屋租赁合同']}']").check()
    ask.locator("textarea[name=note]").evaluate("el => el.removeAttribute('required')")
    act(wendy, "ask_more")
    expect(wendy.locator(".messages .error")).to_be_visible()
    ask = wendy.locator("[data-testid=ask-more-form]")
    expect(ask.locator(f"input[value='{materials['房屋租赁合同']}']")).to_be_checked()
    ask.locator("textarea[name=note]").fill("请上传已备案的房屋租赁合同")
    act(wendy, "ask_more")
    expect(wendy.locator("[data-testid=state]")).to_have_attribute("data-state", "more_needed")
    screenshot(wendy, "prereview-clerk-ask-more", full_page=True)

    chen.goto(chen_link)
    expect(chen.locator("[data-testid=missing]")).to_contain_text("房屋租赁合同")
    upload(chen, materials["房屋租赁合同"], "租赁合同.pdf", PDF, "application/pdf")
    screenshot(chen, "prereview-portal-more-needed", full_page=True)
    with chen.expect_navigation():
        chen.locator("#resubmit-form button[type=submit]").click()
    expect(chen.locator("[data-testid=status]")).to_have_attribute("data-state", "resubmitted")

    wendy.reload()
    act(wendy, "pass")
    expect(wendy.locator("[data-testid=state]")).to_have_attribute("data-state", "passed")
    chen.reload()
    expect(chen.locator("[data-testid=status]")).to_have_attribute("data-state", "passed")

    # She comes: a real-name ticket with the same mobile, called at window 1.
    kiosk = open_as(None, viewport=MOBILE)
    kiosk_ticket(kiosk, code)
    sign_in(wendy, code, ct.town.w1.pk)
    act(wendy, "call_next")
    # A number typed at the kiosk shows no one's pre-review until Wendy has seen the ID.
    expect(wendy.locator("[data-testid=prereview-summary]")).to_have_count(0)
    wendy.locator("[data-testid=holder-seen] input").check()
    act(wendy, "start")
    summary = wendy.locator("[data-testid=prereview-summary]")
    expect(summary).to_have_attribute("data-state", "passed")
    expect(summary).to_have_attribute("data-materials", "3")
    open_case(wendy)
    expect(wendy.locator("[data-testid=prereview-summary]")).to_have_attribute(
        "data-state", "passed"
    )
    screenshot(wendy, "prereview-case-page")
    review = PreReview.objects.get(number=number)
    assert review.case is not None and review.ticket is not None
