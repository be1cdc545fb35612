"""Una had the same order open in two tabs. She signed for it in the first, then assigned it to
三和花园居委会 in the second: refused, rightly (the second tab was a version behind), but told
"该工单已被他人修改，请刷新后重试。" while the only change was her own (h5, session 28, F5). Now the
refusal says she did it herself on another page, and what; when Ursula, her colleague, signed for
it, it names Ursula and what she did. The typed choice is kept either way."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.orders.models import State
from hotline.org.models import Role
from tests.conftest import at, make_user
from tests.orders.factory import order_in


def _second_tab_assigns(client, user, order, version, d):
    client.force_login(user)
    return client.post(
        reverse("order_act", args=[order.number, "assign_inside"]),
        {"version": version, "unit": d.neighbourhood.pk, "note": "请尽快上门"},
        HTTP_HX_REQUEST="true",
    )


def _first_tab_signs(client, user, order):
    client.force_login(user)
    order.refresh_from_db()
    response = client.post(
        reverse("order_act", args=[order.number, "accept"]),
        {"version": order.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.state == State.ACCEPTED


def test_una_is_told_she_signed_for_it_herself_on_another_page(client, district):
    d = district
    with time_machine.travel(at("2026-12-07 09:40"), tick=False):
        order = order_in(State.DISPATCHED, d)
        opened_at = order.version
        _first_tab_signs(client, d.una, order)
        response = _second_tab_assigns(client, d.una, order, opened_at, d)
    assert response.status_code == 409
    html = response.content.decode()
    assert "此工单刚刚已被您在其他页面处理（签收），请查看后再试。" in html
    assert "他人" not in html
    assert "请尽快上门" in html  # what she typed is kept


def test_una_is_told_ursula_signed_for_it(client, district):
    d = district
    ursula = make_user("ursula", d.street, Role.UNIT_HANDLER)
    ursula.first_name, ursula.last_name = "Ursula", ""
    ursula.save()
    with time_machine.travel(at("2026-12-07 09:40"), tick=False):
        order = order_in(State.DISPATCHED, d)
        opened_at = order.version
        _first_tab_signs(client, ursula, order)
        response = _second_tab_assigns(client, d.una, order, opened_at, d)
    assert response.status_code == 409
    html = response.content.decode()
    assert "该工单已被他人修改（Ursula：签收），请查看后再试。" in html
    assert "请尽快上门" in html


def test_in_english_too(client, district):
    d = district
    with time_machine.travel(at("2026-12-07 09:40"), tick=False):
        order = order_in(State.DISPATCHED, d)
        opened_at = order.version
        _first_tab_signs(client, d.una, order)
        client.force_login(d.una)
        response = client.post(
            reverse("order_act", args=[order.number, "assign_inside"]),
            {"version": opened_at, "unit": d.neighbourhood.pk},
            HTTP_HX_REQUEST="true",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 409
    assert (
        "You have just handled this order on another page (Accept). Look at it and try again."
        in response.content.decode()
    )
