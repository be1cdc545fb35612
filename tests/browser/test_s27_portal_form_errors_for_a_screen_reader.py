"""A portal form sent back with an error (walk-through, session 27, h7 F1/F3/F5), on a phone:

- the focus is on the refused box, not the top of the page, and the box is described by its error
  and help text (Django names ``…_error`` and ``…_helptext`` in aria-describedby; the page had no
  element with those ids, so a screen reader read neither);
- a photo chosen before is not in its box any more (browsers never put a file back): the form says
  to choose it again, or the order went in without it;
- the tracking form's "no such request" is where the focus goes.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import WorkOrder
from tests.browser.test_once_and_portal_form import DESCRIPTION, MOBILE, _fill_portal_form
from tests.portal.test_portal import PNG

pytestmark = pytest.mark.browser

DESCRIBED_BY = """box => (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean)
    .map(id => document.getElementById(id))
    .map((e, i) => e ? e.innerText.trim() : "MISSING " + i)"""


def test_a_mistyped_number_takes_the_focus_and_the_photo_must_be_chosen_again(town, open_as):
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/submit/")
    _fill_portal_form(citizen, town)
    form = citizen.locator("#submit-form")
    form.locator("input[name=phone]").fill("1370000432")  # one digit short
    form.locator("input[name=photo]").set_input_files(
        {"name": "manhole.png", "mimeType": "image/png", "buffer": PNG}
    )
    with citizen.expect_navigation():
        form.locator("button[type=submit]").click()

    phone = citizen.locator("#id_phone")
    expect(phone).to_be_focused()
    described = phone.evaluate(DESCRIBED_BY)
    assert len(described) == 2 and not any(text.startswith("MISSING") for text in described)
    assert "11位" in " ".join(described)
    expect(citizen.locator("[data-testid=photo-again]")).to_be_visible()

    # Number put right and the photo chosen again: the order has its photo; no note when fine.
    phone.fill("13700004321")
    form.locator("input[name=photo]").set_input_files(
        {"name": "manhole.png", "mimeType": "image/png", "buffer": PNG}
    )
    with citizen.expect_navigation():
        form.locator("button[type=submit]").click()
    number = citizen.locator("[data-testid=number]").inner_text().strip()
    order = WorkOrder.objects.get(number=number)
    assert order.description == DESCRIPTION
    assert [a.name for a in order.attachments.all()] == ["manhole.png"]


def test_a_form_sent_back_without_a_photo_says_nothing_of_one(town, open_as):
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/submit/")
    _fill_portal_form(citizen, town)
    citizen.locator("#submit-form textarea[name=description]").fill("太短")
    with citizen.expect_navigation():
        citizen.locator("#submit-form button[type=submit]").click()
    expect(citizen.locator("#id_description")).to_be_focused()
    expect(citizen.locator("[data-testid=photo-again]")).to_have_count(0)


def test_no_such_request_takes_the_focus_on_the_tracking_form(town, open_as):
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/track/")
    citizen.fill("input[name=number]", "20230309-000999")
    citizen.fill("input[name=phone]", "13700004321")
    with citizen.expect_navigation():
        citizen.locator("#track-form button[type=submit]").click()
    expect(citizen.locator("[data-testid=form-errors]")).to_be_focused()
