"""The window desk's 5-second refresh of the waiting list (session 21).

The fragment recomputed the whole desk (the current ticket's finish matters and their cases, the
held tickets, the hall's matters) every 5 seconds for each open desk, to draw the list alone. And
once Walt's session had ended, the background refresh took his whole page away to the login page
(htmx's HX-Redirect since a9bd0be; before it, the login page was swapped into the list), with the
reason he was typing. The fragment now reads only what the list shows; signed out, it answers a
short line with the link to sign in again, with htmx's stop-polling status (286). Without JS there
is no refresh, and the page itself still goes to the login."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.hall import actions

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}
FRAGMENT = "/hall/dnl/desk/?part=waiting"


def test_signed_out_the_refresh_says_so_and_stops(client, town):
    response = client.get(FRAGMENT, **HTMX)
    body = response.content.decode()
    assert response.status_code == 286  # htmx stops polling, and shows this
    assert 'data-testid="desk-signed-out"' in body and "Sign in again" in body
    assert 'href="/accounts/login/?next=%2Fhall%2Fdnl%2Fdesk%2F"' in body
    assert "<html" not in body and 'name="password"' not in body
    page = client.get("/hall/dnl/desk/")  # the page itself, without JS: to the login
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")


def test_the_fragment_reads_only_what_the_list_shows(client, town):
    actions.sign_in(town.w2, town.walt)
    for _ in range(3):
        actions.issue(town.hall, town.residence)
    called = actions.call_next(town.w2, town.walt)
    actions.start(called, town.walt)
    client.force_login(town.walt)
    client.get(FRAGMENT, **HTMX)  # the session's and the user's first reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FRAGMENT, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and body.count("data-ticket=") == 2
    assert 'data-action="call_ticket"' not in body  # busy: no call out of order offered
    assert len(queries) <= 10, "\n".join(q["sql"][:150] for q in queries.captured_queries)
