"""A 12345 operator texts a caller the pre-review link from intake, in real Chromium.

Olga (王丽) takes 陈丽's call: she types the mobile, the caller history offers the matters open to
pre-review, she sends 居住证办理 at 大宁路. 陈丽 opens the link on her phone, uploads her ID card
and sends; she goes back and sends again — the page shows the pre-review already filed, not a
second one. Olga sees it filed from her link in the caller history.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.matters.models import Matter
from hotline.prereview.actions import invitation_link
from hotline.prereview.models import PreReview, PreReviewInvitation
from tests.browser.conftest import screenshot
from tests.browser.test_cases import ct  # noqa: F401
from tests.browser.test_hall_story import MOBILE
from tests.prereview.conftest import PDF

pytestmark = pytest.mark.browser

CHEN_PHONE = "13912345678"


def test_olga_texts_chen_the_link_and_chen_files_once_from_it(
    ct,  # noqa: F811
    open_as,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    Matter.objects.filter(pk=ct.residence.pk).update(prereview_allowed=True)
    id_card = ct.residence.materials.get(name="居民身份证")
    hall = ct.town.hall

    olga = open_as(ct.town.district.olga)
    olga.goto("/intake/")
    olga.locator("#intake-form input[name=citizen_phone]").fill("139 1234 5678")
    invite = olga.locator("[data-testid=prereview-invite]")
    invite.locator("select[name=prereview]").select_option(f"{hall.pk}:{ct.residence.pk}")
    invite.locator("button[type=submit]").click()
    expect(olga.locator("[data-testid=invite-sent]")).to_be_visible()
    expect(olga.locator("[data-testid=prereview-invitations]")).to_contain_text("居住证办理")
    # The intake form kept what was typed: the link went without leaving the page.
    expect(olga.locator("#intake-form input[name=citizen_phone]")).to_have_value("139 1234 5678")
    screenshot(olga, "intake-prereview-link")
    invitation = PreReviewInvitation.objects.get()

    chen = open_as(None, viewport=MOBILE)
    chen.goto(invitation_link(invitation))
    expect(chen.locator("[data-testid=invited]")).to_be_visible()
    chen.locator("input[name=name]").fill("陈丽")
    chen.locator("input[name=phone]").fill(CHEN_PHONE)
    chen.locator(f"input[name=material_{id_card.pk}]").set_input_files(
        files=[{"name": "身份证.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    with chen.expect_navigation():
        chen.locator("#prereview-form button[type=submit]").click()
    number = chen.locator("[data-testid=number]").inner_text().strip()

    # Back and send again: the browser puts the name back but not the file.
    chen.go_back()
    expect(chen.locator("#prereview-form input[name=name]")).to_have_value("陈丽")
    with chen.expect_navigation():
        chen.locator("#prereview-form button[type=submit]").click()
    expect(chen.locator("[data-testid=resent]")).to_be_visible()
    assert chen.locator("[data-testid=number]").inner_text().strip() == number
    review = PreReview.objects.get()
    assert review.number == number and review.invitation == invitation

    olga.locator("#intake-form input[name=citizen_phone]").fill("13912345678")
    expect(olga.locator("[data-testid=prereview-invitations]")).to_contain_text(number)
