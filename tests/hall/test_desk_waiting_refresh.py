"""Walt's waiting list keeps up with the hall: the desk's list was drawn once, when the page
loaded, and went on listing tickets Wendy had called since (a call of one was then refused,
cleanly, but Walt read an old list). The list polls its own fragment; the fragment is the list
alone, never the forms around it (the transfer form, the current ticket), so nothing the clerk
is typing there is replaced."""

from __future__ import annotations

import pytest

from hotline.hall import actions

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_waiting_list_polls_its_own_fragment(client, town):
    actions.sign_in(town.w2, town.walt)
    client.force_login(town.walt)
    page = client.get(f"/hall/{town.hall.code}/desk/").content.decode()
    assert f'hx-get="/hall/{town.hall.code}/desk/?part=waiting"' in page
    assert "data-keep-typed" in page and "hall/desk" in page  # desk.js holds it while typing


def test_the_fragment_lists_a_ticket_taken_since_and_nothing_else(client, town):
    actions.sign_in(town.w2, town.walt)
    client.force_login(town.walt)
    client.get(f"/hall/{town.hall.code}/desk/")
    ticket = actions.issue(town.hall, town.residence)
    fragment = client.get(f"/hall/{town.hall.code}/desk/?part=waiting", **HTMX)
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert f'data-ticket="{ticket.number}"' in body
    assert "<html" not in body and 'data-testid="transfer"' not in body
    assert 'data-testid="current"' not in body


def test_a_ticket_called_at_another_window_leaves_the_list(client, town):
    actions.sign_in(town.w2, town.walt)
    actions.sign_in(town.w1, town.wendy)
    ticket = actions.issue(town.hall, town.residence)
    client.force_login(town.walt)
    before = client.get(f"/hall/{town.hall.code}/desk/?part=waiting", **HTMX).content.decode()
    assert f'data-ticket="{ticket.number}"' in before
    actions.call_next(town.w1, town.wendy)
    after = client.get(f"/hall/{town.hall.code}/desk/?part=waiting", **HTMX).content.decode()
    assert f'data-ticket="{ticket.number}"' not in after
