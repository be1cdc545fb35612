"""Una asks for an extension with a reason pasted from a long letter: too long a reason was
refused in Django's own words, "确保该变量包含不超过 1000 字符 (目前字符数 1200)。" (a programmer's
"variable", half-width brackets; walk-through, session 26, L1), on every reason of the order page.
It says what the actions say for the same limit, and what she typed stays."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hotline.orders.models import State
from tests.orders.factory import order_in

LONG = "需协调电力公司更换电缆" * 120  # 1,320 characters


def _ask(district, language: str) -> str:
    order = order_in(State.ACCEPTED, district)
    una = Client(HTTP_ACCEPT_LANGUAGE=language, HTTP_HX_REQUEST="true")
    una.force_login(district.una)
    response = una.post(
        reverse("order_act", args=[order.number, "request_extension"]),
        {"version": order.version, "days": 3, "reason": LONG},
    )
    order.refresh_from_db()
    assert order.extension_days is None
    return response.content.decode()


def test_the_refusal_says_how_long_it_may_be_in_chinese(district):
    page = _ask(district, "zh-hans")
    assert "请控制在1000字以内（现有1320字）。" in page, page
    assert "该变量" not in page and "字符数" not in page
    assert LONG in page


def test_and_in_english(district):
    assert "Keep it to 1000 characters (this has 1320)." in _ask(district, "en")
