"""The desk lists "waiting for this window" in the order "Call next" takes them (h5, M5).

Listed in arrival order, the list put a ticket of the window's lighter matter first while
call_next takes its heaviest matters first (window 1 weighs 老年综合津贴 above 居住证): the clerk
told the wrong person "you're next". The list now comes from call_next's own ordering
(actions.windows.call_order) and marks the first one "Next up"."""

from __future__ import annotations

import re

import pytest

from hotline.hall import actions
from hotline.hall.models import WindowState

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", **EN}


def listed(page: str) -> list[str]:
    return re.findall(r'<li data-ticket="([^"]+)"', page)


def marked_next(page: str) -> list[str]:
    return re.findall(r'<li data-ticket="([^"]+)" data-next', page)


def issue_in_arrival_order(town):
    # A001, B001, A002, B002: window 1 weighs B (老年综合津贴) above A (居住证).
    return [
        actions.issue(town.hall, town.residence),
        actions.issue(town.hall, town.allowance),
        actions.issue(town.hall, town.residence),
        actions.issue(town.hall, town.allowance),
    ]


def successive_calls(town) -> list[str]:
    called = []
    while (ticket := actions.call_next(town.w1, town.wendy)) is not None:
        called.append(ticket.number)
        actions.start(ticket, town.wendy)
        actions.finish(ticket, town.wendy)
    return called


def test_the_list_is_the_order_call_next_takes_them(client, town):
    actions.sign_in(town.w1, town.wendy)
    tickets = issue_in_arrival_order(town)
    client.force_login(town.wendy)
    page = client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode()
    fragment = client.get(f"/hall/{town.hall.code}/desk/?part=waiting", **HTMX).content.decode()
    shown = listed(page)
    assert sorted(shown) == sorted(t.number for t in tickets)
    assert listed(fragment) == shown  # the polled list too
    assert shown == successive_calls(town)
    assert shown[0].startswith("B")  # not the A001 that came first


def test_the_first_is_marked_next(client, town):
    actions.sign_in(town.w1, town.wendy)
    issue_in_arrival_order(town)
    client.force_login(town.wendy)
    page = client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode()
    shown = listed(page)
    assert marked_next(page) == [shown[0]]
    assert page.count("Next up") == 1
    nxt = actions.call_next(town.w1, town.wendy)
    assert nxt is not None and nxt.number == shown[0]


def test_the_mark_reads_in_chinese(client, town):
    actions.sign_in(town.w1, town.wendy)
    issue_in_arrival_order(town)
    client.force_login(town.wendy)
    page = client.get(f"/hall/{town.hall.code}/desk/").content.decode()
    assert "下一位" in page


def test_a_ticket_sent_to_a_paused_window_is_listed_after_unmarked(client, town):
    """Call next never takes a ticket transferred to another window; while that window is not
    open (paused: a window that closes sends it back to the queue, where call next takes it in
    its place), the desk still offers it for a call out of order, after the ones call next
    takes."""
    actions.sign_in(town.w2, town.walt)
    actions.sign_in(town.w1, town.wendy)
    first = actions.issue(town.hall, town.residence)
    later = actions.issue(town.hall, town.residence)
    called = actions.call_next(town.w2, town.walt)
    assert called is not None and called.pk == first.pk
    actions.transfer(called, town.walt, window=town.w2, reason="复印件")
    client.force_login(town.wendy)
    page = client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode()
    assert listed(page) == [later.number]  # window 2 is open: it calls its own
    actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")
    page = client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode()
    assert listed(page) == [later.number, first.number]
    assert marked_next(page) == [later.number]
    assert successive_calls(town) == [later.number]


def test_a_ticket_sent_to_a_window_that_closes_is_next_in_its_place(client, town):
    """Once the window it was sent to closes, the ticket is back in the matter's queue, in the
    place its arrival gives it: call next takes it first."""
    actions.sign_in(town.w2, town.walt)
    actions.sign_in(town.w1, town.wendy)
    first = actions.issue(town.hall, town.residence)
    later = actions.issue(town.hall, town.residence)
    called = actions.call_next(town.w2, town.walt)
    assert called is not None and called.pk == first.pk
    actions.transfer(called, town.walt, window=town.w2, reason="复印件")
    actions.sign_out(town.w2, town.walt)
    client.force_login(town.wendy)
    page = client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode()
    assert listed(page) == [first.number, later.number]
    assert marked_next(page) == [first.number]
