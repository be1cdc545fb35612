"""陈丽 lost the text message with her pre-review's link, in real Chromium on her phone.

On /portal/prereview/ she types its number and her mobile: the page says the link was texted if
they match, and the text brings her link; her page opens from it. Mallory, who knows her number
and tries another mobile, gets the same page and no text, and never sees Chen's page.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from playwright.sync_api import expect

from hotline.matters.models import Matter
from hotline.prereview import actions
from tests.browser.test_cases import ct  # noqa: F401
from tests.browser.test_hall_story import MOBILE
from tests.hall.booking_by_code import Outbox
from tests.prereview.conftest import PDF

pytestmark = pytest.mark.browser

CHEN_PHONE = "13912345678"


def ask(page, number: str, phone: str) -> None:
    page.goto("/portal/prereview/")
    form = page.locator("#prereview-lookup")
    form.locator("input[name=number]").fill(number)
    form.locator("input[name=phone]").fill(phone)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@override_settings(NOTIFIERS=["tests.hall.booking_by_code.Outbox"])
def test_chen_has_her_lost_link_texted_again_and_mallory_learns_nothing(
    ct,  # noqa: F811
    open_as,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    Matter.objects.filter(pk=ct.residence.pk).update(prereview_allowed=True)
    ct.residence.refresh_from_db()
    id_card = ct.residence.materials.get(name="居民身份证")
    review = actions.submit(
        ct.town.hall,
        ct.residence,
        name="陈丽",
        phone=CHEN_PHONE,
        uploads={id_card.pk: SimpleUploadedFile("身份证.pdf", PDF, "application/pdf")},
    )
    Outbox.sent.clear()

    mallory = open_as(None, viewport=MOBILE)
    ask(mallory, review.number, "13700000000")
    expect(mallory.locator("[data-testid=link-asked]")).to_be_visible()
    assert review.token not in mallory.url and Outbox.sent == []

    chen = open_as(None, viewport=MOBILE)
    ask(chen, review.number.lower(), "139 1234 5678")
    expect(chen.locator("[data-testid=link-asked]")).to_be_visible()
    assert chen.url == mallory.url
    (text,) = Outbox.sent
    assert text.recipients_phone == (CHEN_PHONE,)
    link = text.text[text.text.index("http") :]
    chen.goto(link)
    expect(chen.locator("[data-testid=number]")).to_have_text(review.number)
    expect(chen.locator("main")).to_contain_text("身份证.pdf")
