"""Pages with someone's data say ``Cache-Control: private, no-store`` (a browser on a shared desk
and a proxy must not keep them); the public pages and static files do not. Before, only the login
page said it: an operator's order page (full phone), the export, the caller history, the API's
orders and the citizens' own links carried no Cache-Control at all."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.org.models import ApiToken
from hotline.portal.tokens import rating_token
from tests.orders.factory import new_order

PRIVATE = "no-store"


def private(response) -> bool:
    header = response.get("Cache-Control", "")
    return "private" in header and PRIVATE in header


@pytest.fixture
def order(district):
    return new_order(district, citizen_phone="13601234567")


def test_a_signed_in_persons_pages_are_not_kept(district, order):
    client = Client()
    client.force_login(district.dan)
    for url in (
        f"/orders/{order.number}/",
        "/orders/?state=registered",
        "/orders/export",
        "/desk/dispatch/",
        # A public page too, while signed in: the navigation names the person.
        "/portal/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
    # The caller history is posted (the number stays out of the address); not kept either.
    response = client.post("/intake/caller-history", {"citizen_phone": "13601234567"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_apis_answers_to_a_token_are_not_kept(district, order):
    _token, raw = ApiToken.issue(district.dan, name="tests")
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/orders")
    assert response.status_code == 200
    assert private(response)


def test_the_citizens_own_links_are_not_kept(district, order):
    citizen = Client()
    for url in (
        f"/portal/rate/{rating_token(order)}/",
        "/portal/prereview/s/made-up/",
        "/hall/ticket/made-up/",
        "/hall/place/made-up/",
        "/hall/dnl/book/ABCD2345/",
        "/ratings/visit/made-up/",
        "/ratings/r/made-up/",
        "/cases/20230309-000001/",
        "/portal/submit/",
        "/portal/track/",
    ):
        assert private(citizen.get(url)), url
    tracked = citizen.post("/portal/track/", {"number": order.number, "phone": "13601234567"})
    assert tracked.status_code == 200 and private(tracked)
    # The login page keeps Django's own never_cache header.
    assert "no-store" in citizen.get("/accounts/login/")["Cache-Control"]


def test_public_pages_and_static_files_may_be_cached(district, order):
    anyone = Client()
    for url in (
        "/portal/",
        "/portal/statistics/",
        "/portal/kb/",
        "/api/v1/open/halls",
        "/api/v1/openapi.json",
        "/open311/discovery.json",
        "/healthz",
    ):
        response = anyone.get(url)
        assert response.status_code == 200, url
        assert PRIVATE not in response.get("Cache-Control", ""), url


def test_static_files_are_left_to_whitenoise(district):
    # WhiteNoise answers them further out (from the finders in tests, as in DEBUG), with its own
    # caching headers, whoever asks.
    signed_in = Client()
    signed_in.force_login(district.dan)
    response = signed_in.get("/static/hotline/app.css")
    assert response.status_code == 200
    assert PRIVATE not in response.get("Cache-Control", "")
