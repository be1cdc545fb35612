"""Desks: the waiting work as badges in the navigation, and the poll that says what arrived."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline import clock
from hotline.orders import actions
from tests.orders.factory import new_order


def _badge(page: str, desk: str) -> str:
    found = re.search(rf'id="badge-{desk}"[^>]*>(\d+)<', page)
    assert found, f"no badge for {desk}"
    return found.group(1)


def _badges(client) -> str:
    return client.get(reverse("desk_badges"), HTTP_HX_REQUEST="true").content.decode()


def test_dan_sees_his_waiting_work_as_a_badge_on_every_page(client, district):
    new_order(district)
    returned = new_order(district, title="楼道堆物")
    actions.dispatch(returned, district.dan, lead_unit=district.street)
    actions.request_return(returned, district.una, reason="不属于本街道")
    new_order(district, title="夜间施工噪声")
    client.force_login(district.dan)
    page = client.get(reverse("order_list")).content.decode()
    # Every page has the empty badges and asks for their counts once it is shown.
    assert 'id="badge-dispatch_desk"' in page and reverse("desk_badges") in page
    badges = _badges(client)
    # New (2) and the return to decide (1); the supervision desk counts overdue orders (0).
    assert _badge(badges, "dispatch_desk") == "3"
    assert re.search(r'id="badge-supervision_desk"[^>]*hidden', badges)


def test_una_sees_what_to_sign_for_and_the_badge_hides_at_zero(client, district):
    order = new_order(district)
    client.force_login(district.una)
    assert 'id="badge-unit_inbox"' in client.get(reverse("unit_inbox")).content.decode()
    assert re.search(r'id="badge-unit_inbox"[^>]*hidden', _badges(client))
    actions.dispatch(order, district.dan, lead_unit=district.street)
    assert _badge(_badges(client), "unit_inbox") == "1"
    # Olga has no desk with a badge.
    client.force_login(district.olga)
    assert "nav-badge" not in client.get("/").content.decode()


def test_the_poll_says_how_many_orders_arrived_and_leaves_the_table_alone(client, district):
    new_order(district)
    client.force_login(district.dan)
    since = clock.now().isoformat()
    url = reverse("dispatch_desk")
    quiet = client.get(url, {"tab": "new", "since": since}, HTTP_HX_REQUEST="true")
    assert 'data-testid="desk-news"' not in quiet.content.decode()
    assert "<table" not in quiet.content.decode()

    new_order(district, title="共享单车乱停放")
    new_order(district, title="夜间施工噪声")
    news = client.get(url, {"tab": "new", "since": since}, HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'data-testid="desk-news"[^>]*>有 2 件新工单', news)
    assert 'id="count-new" hx-swap-oob="true">3<' in news
    assert re.search(r'id="badge-dispatch_desk"[^>]*hx-swap-oob="true">3<', news)
    assert "<table" not in news

    # "Show them": the table, and a poll that counts from now on.
    table = client.get(url, {"tab": "new"}, HTTP_HX_REQUEST="true").content.decode()
    assert "共享单车乱停放" in table and "<table" in table
    assert 'id="desk-news"' in table and 'hx-swap-oob="true"' in table


def test_a_malformed_since_is_just_the_table(client, district):
    client.force_login(district.dan)
    response = client.get(
        reverse("dispatch_desk"), {"tab": "new", "since": "yesterday"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "<table" in response.content.decode()
