"""A form sent from a page opened before the last sign-in is answered with the site's page, not
Django's bare "CSRF verification failed" (attack, session 27, h6 F3).

Olga the operator has the intake form open, signs in again in another tab (the CSRF token
changes), then sends the form from the first tab. Django answered its own 403 page: no site
layout, its inline style blocked by the CSP, and "更多可用信息请设置选项DEBUG＝True。"; from the
order panel htmx swapped that whole document into the panel (app.js swaps 403s)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import PASSWORD


def signed_in(client: Client, username: str) -> None:
    page = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.fixture
def olga_with_a_stale_page(district):
    client = Client(enforce_csrf_checks=True)
    signed_in(client, "olga")
    page = client.get("/intake/").content.decode()
    stale = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    signed_in(client, "olga")  # another tab: the token the intake page holds no longer holds
    return client, stale


def test_a_stale_form_gets_the_sites_page_saying_what_to_do(olga_with_a_stale_page):
    client, stale = olga_with_a_stale_page

    response = client.post("/intake/", {"csrfmiddlewaretoken": stale, "title": "路灯不亮"})

    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-403-csrf"' in html
    assert "页面已过期" in html and "刷新页面" in html
    assert "DEBUG" not in html and "<style" not in html
    assert "olga" in html  # the site's own header, with who is signed in


def test_htmx_gets_the_sentence_alone_to_show_in_place(olga_with_a_stale_page):
    client, stale = olga_with_a_stale_page

    response = client.post(
        "/intake/similar", {"title": "路灯不亮"}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=stale
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="csrf-expired"' in html
    assert "<html" not in html.lower() and "DEBUG" not in html
