"""Olga's intake page posts ids she never typed: mangled ones are refused, not a server error
(attack, session 30, h5). "²" passes str.isdigit() and fails int(): the pre-review link's hall
and matter and the similar orders' street answered 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _olga(district) -> Client:
    browser = Client(raise_request_exception=False)
    browser.force_login(district.olga)
    return browser


def test_a_prereview_link_for_hall_superscript_two_asks_for_the_hall(district):
    data = {"caller_phone": "13912345678", "prereview": "²:²"}
    assert _olga(district).post("/intake/prereview-link", data).status_code < 500


def test_similar_orders_in_street_superscript_two_answer(district):
    data = {"street": "²", "title": "漏水", "description": "楼上漏水"}
    assert _olga(district).post("/intake/similar", data).status_code == 200
