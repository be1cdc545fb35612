"""Mr Li rates his visit from the slip's QR code, then reloads the page and goes Back on his
phone (session 28, h6; h7's F9 of session 27).

The rating's POST was answered with the thank-you page itself: a reload asked Chromium to send
the form again (and the server answered 409, "already rated"), and Back to it showed the
browser's "confirm form resubmission" page. The POST is now answered with a redirect to the
page's own address (PRG), which thanks him whatever he does with the history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.ratings.models import Rating
from tests.browser.test_rating_phone_errors import PHONE, served_ticket  # noqa: F401

pytestmark = pytest.mark.browser


def test_reload_and_back_after_rating_thank_him_without_posting_again(served_ticket, open_as):  # noqa: F811
    li = open_as(None, viewport=PHONE)
    li.goto("/portal/")
    page = f"/ratings/visit/{served_ticket.token}/"
    li.goto(page)
    li.locator("[data-testid=level-5]").click()
    li.locator(".rate-submit").click()
    expect(li.locator("[data-testid=rated]")).to_be_visible()

    posts: list[str] = []
    li.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    reloaded = li.reload()
    assert reloaded is not None and reloaded.status == 200
    expect(li.locator("[data-testid=rated]")).to_be_visible()
    li.go_back()
    li.go_forward()
    expect(li.locator("[data-testid=rated]")).to_be_visible()
    assert posts == []
    assert Rating.objects.filter(ticket=served_ticket).count() == 1
