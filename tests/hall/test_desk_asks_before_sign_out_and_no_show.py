"""The desk asks before "sign out" and "no-show": a misclick on either cost a citizen their
place for a while (the window closes; the ticket leaves the queue until reactivated). Each is a
disclosure (no script needed): its summary opens a question whose "yes" is the form's button.
The browser test (tests/browser/test_hall_desk_day.py) clicks through it."""

from __future__ import annotations

import re

import pytest

from hotline.hall import actions

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def confirm_block(page: str, action: str) -> str:
    found = re.search(
        rf'<details class="desk-confirm" data-confirm="{action}">(.*?)</details>', page, re.S
    )
    assert found is not None, f"{action} does not ask first"
    return found.group(1)


def test_sign_out_and_no_show_are_behind_a_question(client, town):
    actions.sign_in(town.w2, town.walt)
    ticket = actions.issue(town.hall, town.residence)
    actions.call_next(town.w2, town.walt)
    for _ in range(2):  # no-show is offered after the hall's recalls (test_s23_desk_no_show_rule)
        actions.recall(ticket, town.walt)
    client.force_login(town.walt)
    page = client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode()
    sign_out = confirm_block(page, "sign_out")
    assert "Sign out of this window?" in sign_out and 'data-action="sign_out"' in sign_out
    no_show = confirm_block(page, "no_show")
    assert f"Mark {ticket.number} as a no-show?" in no_show
    assert 'data-action="no_show"' in no_show
    # Neither button stands outside its question.
    outside = re.sub(r"<details.*?</details>", "", page, flags=re.S)
    assert 'data-action="sign_out"' not in outside and 'data-action="no_show"' not in outside
