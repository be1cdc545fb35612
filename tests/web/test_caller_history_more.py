"""Olga takes a call from a citizen who has called twelve times; he asks after the order he made
in the spring. The caller history listed the latest ten and ended there, without a word of
the other two: past ten it says how many are not listed and opens all of them in the search."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.orders.factory import new_order

PHONE = "13812345678"


def _history(client, user):
    client.force_login(user)
    return client.post(reverse("caller_history"), {"citizen_phone": PHONE}).content.decode()


def test_the_history_says_how_many_earlier_orders_it_does_not_list(client, district):
    orders = [new_order(district, citizen_phone=PHONE) for _ in range(12)]

    html = _history(client, district.olga)

    assert 'data-testid="caller-all-orders"' in html
    assert "另有 2 张较早的工单未列出：查看该号码的全部 12 张工单" in html
    # A form posting the number to the search (never a link with it: the address would keep it).
    form = re.search(r'<form method="post" action="([^"]*)"[^>]*>(.*?)</form>', html, re.S)
    assert form and form.group(1) == reverse("order_list")
    assert f'name="phone" value="{PHONE}"' in form.group(2) and f"phone={PHONE}" not in html
    listed = [o for o in orders if o.number in html]
    assert len(listed) == 10

    # The search it opens lists all twelve.
    search = client.post(reverse("order_list"), {"phone": PHONE}, follow=True)
    assert PHONE not in search.redirect_chain[-1][0]
    assert all(o.number in search.content.decode() for o in orders)


def test_ten_or_fewer_are_all_listed_without_the_link(client, district):
    for _ in range(10):
        new_order(district, citizen_phone=PHONE)

    assert 'data-testid="caller-all-orders"' not in _history(client, district.olga)
