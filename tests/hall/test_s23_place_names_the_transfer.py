"""A ticket transferred to another window waits for that window alone, but its holder's "my place"
never said so: they watched the board for a call that could only come from window 1 (walk-through,
session 23, M6). The page names the window."""

from __future__ import annotations

import pytest

from hotline.hall import actions

pytestmark = pytest.mark.django_db


def test_my_place_names_the_window_it_was_transferred_to(client, town):
    actions.sign_in(town.w2, town.walt)
    actions.sign_in(town.w1, town.wendy)
    ticket = actions.issue(town.hall, town.residence)
    actions.call_next(town.w2, town.walt)
    actions.start(ticket, town.walt)
    actions.transfer(ticket, town.walt, window=town.w1, reason="需要综合窗口办理")
    ticket.refresh_from_db()
    page = client.get(f"/hall/place/{ticket.token}/").content.decode()
    assert 'data-testid="place-target"' in page and "已转至1号窗口" in page
    english = client.get(f"/hall/place/{ticket.token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Transferred to window 1: you will be called there." in english
