"""The reception desk in real Chromium under the production CSP: Hugo gives 王奶奶 a
green-channel ticket, it opens as the 80 mm ticket to print, and Walt's desk lists it first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from hotline.hall.models import Priority, Ticket
from tests.browser.conftest import screenshot
from tests.browser.test_hall_story import hall, sign_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_hugo_gives_a_green_channel_ticket_at_the_reception_desk(hall, open_as):  # noqa: F811
    code = hall.hall.code
    actions.issue(hall.hall, hall.residence, holder_name="张三")  # already waiting
    hugo = open_as(hall.hugo)
    hugo.goto(f"/hall/{code}/manage/")
    with hugo.expect_navigation():
        hugo.locator("[data-testid=go-reception]").click()
    form = hugo.locator("[data-testid=reception-form]")
    form.locator("select[name=matter]").select_option(str(hall.residence.pk))
    form.locator(f"input[name=priority][value={Priority.GREEN}]").check()
    form.locator("input[name=name]").fill("王奶奶")
    screenshot(hugo, "hall-reception")
    with hugo.expect_navigation():
        form.locator("[data-action=issue]").click()
    expect(hugo.locator("[data-testid=ticket-number]")).to_have_text("A002")
    green = Ticket.objects.get(number="A002")
    assert green.priority == Priority.GREEN and green.source == "reception"

    walt = open_as(hall.walt)
    sign_in(walt, code, hall.w2.pk)
    expect(walt.locator("[data-testid=waiting] li").first).to_have_attribute("data-ticket", "A002")


def test_hugo_prints_a_lost_ticket_again_and_the_ticket_records_it(hall, open_as):  # noqa: F811
    from hotline.hall.identity import holder_key
    from hotline.hall.models import TicketEvent

    code = hall.hall.code
    lost = actions.issue(hall.hall, hall.residence, holder_key=holder_key(phone="13912345678"))
    hugo = open_as(hall.hugo)
    hugo.goto(f"/hall/{code}/reception/")
    form = hugo.locator("[data-testid=reception-form]")
    form.locator("select[name=matter]").select_option(str(hall.residence.pk))
    form.locator("input[name=phone]").fill("13912345678")
    with hugo.expect_navigation():
        form.locator("[data-action=issue]").click()
    with hugo.expect_navigation():
        hugo.locator("[data-testid=reprint]").click()
    expect(hugo.locator("[data-testid=ticket-number]")).to_have_text(lost.number)
    assert TicketEvent.objects.filter(ticket=lost, action="reprint", actor=hall.hugo).exists()
