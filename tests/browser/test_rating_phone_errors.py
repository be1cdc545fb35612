"""Mr Li (mobile 13816200202) rates his 居住证 visit at Wendy's window from the slip's QR code on
his phone. He taps 很不满意 and sends it without saying what went wrong: the page comes back with
the reason, and he must see it where he looks, at the top of the form, not below the fold under
five big buttons (h5, session 25, B-L6)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall import actions as hall_actions
from hotline.hall import identity
from hotline.ratings.models import Rating
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LI = "13816200202"


@pytest.fixture
def served_ticket(transactional_db, district, live_server):
    town = make_hall(district)
    with opening_hours():
        ticket = hall_actions.issue(
            town.hall, town.residence, holder_key=identity.holder_key(phone=LI)
        )
        hall_actions.sign_in(town.w1, town.wendy)
        hall_actions.call_next(town.w1, town.wendy)
        hall_actions.start(ticket, town.wendy, holder_seen=True)
        hall_actions.finish(ticket, town.wendy)
        yield ticket


def _at_the_top(page, summary) -> None:
    """On the first screen, above the five ratings: where he looks when the page comes back."""
    box = summary.bounding_box()
    first_level = page.locator("[data-testid=level-5]").bounding_box()
    assert box is not None and first_level is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= first_level["y"], "not at the form's top"
    assert box["y"] + box["height"] <= PHONE["height"]


def test_a_bad_rating_without_a_reason_says_why_at_the_top_of_the_form(served_ticket, open_as):
    li = open_as(None, viewport=PHONE)
    li.goto(f"/ratings/visit/{served_ticket.token}/")
    li.locator("[data-testid=level-1]").click()
    li.locator(".rate-submit").click()

    summary = li.locator("[data-testid=rate-error-summary]")
    expect(summary).to_contain_text("请告诉我们哪里做得不好")
    expect(summary).to_be_focused()
    _at_the_top(li, summary)
    # His choice is still there; he ticks a reason and sends again: the rating is taken.
    expect(li.locator("[data-testid=level-1] input")).to_be_checked()
    li.locator("[data-testid=reason-waiting] input").check()
    li.locator(".rate-submit").click()
    expect(li.locator("[data-testid=rated]")).to_be_visible()
    assert Rating.objects.get(ticket=served_ticket).level == 1


def test_a_mistyped_mobile_number_is_said_at_the_top_too(served_ticket, open_as):
    """The number box is the form's last field, two screens down on his phone."""
    li = open_as(None, viewport=PHONE)
    li.goto(f"/ratings/visit/{served_ticket.token}/")
    li.locator("[data-testid=level-2]").click()
    li.locator("[data-testid=reason-attitude] input").check()
    li.locator("[data-testid=rate-form] input[name=phone]").fill("1381620")
    li.locator(".rate-submit").click()

    summary = li.locator("[data-testid=rate-error-summary]")
    expect(summary).to_contain_text("请输入11位手机号码")
    expect(summary).to_be_focused()
    _at_the_top(li, summary)
    assert not Rating.objects.filter(ticket=served_ticket).exists()
