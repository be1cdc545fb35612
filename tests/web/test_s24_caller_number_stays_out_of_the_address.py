"""The intake page's caller history and duplicate hint are posted, the caller's number in the
body (brief, session 24): as GETs (``/intake/caller-history?citizen_phone=139…``, the similar
orders' GET of the whole intake form) every number an operator typed went into the access log
and the browser's history. A GET of either is refused; the POST is CSRF-checked; the hint
still finds the caller's earlier orders."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from tests.orders.factory import new_order

PHONE = "13812345678"


def test_olga_gets_the_callers_history_by_post_and_never_by_get(client, district):
    earlier = new_order(district, citizen_phone=PHONE)
    client.force_login(district.olga)

    got = client.get(reverse("caller_history"), {"citizen_phone": PHONE})
    posted = client.post(reverse("caller_history"), {"citizen_phone": PHONE})

    assert got.status_code == 405 and earlier.number not in got.content.decode()
    assert posted.status_code == 200 and earlier.number in posted.content.decode()


def test_the_duplicate_hint_is_posted_and_still_names_the_callers_order(client, district):
    earlier = new_order(district, citizen_phone=PHONE)
    client.force_login(district.olga)
    form = {"title": earlier.title, "description": earlier.description, "citizen_phone": PHONE}

    got = client.get(reverse("similar_orders"), form)
    posted = client.post(reverse("similar_orders"), form)

    assert got.status_code == 405 and earlier.number not in got.content.decode()
    assert (
        posted.status_code == 200 and f'data-number="{earlier.number}"' in posted.content.decode()
    )


def test_a_post_without_the_csrf_token_is_refused(district):
    new_order(district, citizen_phone=PHONE)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(district.olga)
    for name in ("caller_history", "similar_orders"):
        refused = browser.post(reverse(name), {"citizen_phone": PHONE, "title": "路灯"})
        assert refused.status_code == 403, name


def test_the_intake_page_puts_no_number_in_an_address(client, district):
    client.force_login(district.olga)
    html = client.get(reverse("intake")).content.decode()

    phone_input = re.search(r'<input type="tel" name="citizen_phone"[^>]*>', html).group(0)
    assert f'hx-post="{reverse("caller_history")}"' in phone_input and "hx-get" not in phone_input
    similar = re.search(r'<div id="similar-orders"[^>]*>', html).group(0)
    assert f'hx-post="{reverse("similar_orders")}"' in similar and "hx-get" not in similar
    for url in (reverse("caller_history"), reverse("similar_orders")):
        assert f'hx-get="{url}' not in html
