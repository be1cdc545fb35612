"""A citizen opens a link cut short or mistyped (session 28, h6; h7's L10 of session 27).

The hall texted Chen her rating link; her phone's SMS app cut it, or she typed the ticket's QR
address by hand with a character too many. The page said the staff's "not found (or you may not
see it)" and led to the staff's start page. Now a citizen's page in her language says the link
is incomplete and what to do: open it again in full, scan the QR code again, look the request
up on the portal, or call 12345. Still a 404.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from hotline.ratings import links
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _says_incomplete(response, words: str) -> None:
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="problem"' in html and words in html
    assert 'data-testid="error-404"' not in html


def test_a_rating_link_cut_short_says_so_in_chinese_and_english(town):
    ticket = town.serve("2023-03-09 10:00")
    link = f"/ratings/r/{links.sms_token(ticket)}/"
    with time_machine.travel(at("2023-03-09 10:05"), tick=False):
        assert Client().get(link).status_code == 200
        _says_incomplete(Client().get(link[:-6] + "/"), "链接不完整")
        english = Client().get(link[:-6] + "/", HTTP_ACCEPT_LANGUAGE="en")
        _says_incomplete(english, "This link is incomplete")
        assert "call 12345" in english.content.decode()


def test_a_tickets_qr_address_with_a_character_too_many(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:05"), tick=False):
        _says_incomplete(Client().get(f"/ratings/visit/{ticket.token}x/"), "链接不完整")
        _says_incomplete(Client().get(f"/hall/place/{ticket.token}x/"), "链接不完整")
