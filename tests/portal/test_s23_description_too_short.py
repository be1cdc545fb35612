"""A description shorter than the portal asks for was refused in Django's own words, to a citizen:
"确保该变量至少包含 10 字符(目前字符数 9)" (a programmer's "variable", half-width brackets;
walk-through, session 23, L10). It says what to do, full-width in Chinese, and the text stays."""

from __future__ import annotations

from django.test import Client

from tests.portal.test_portal import submit

SHORT = "路灯坏了好几天了"  # 8 characters


def test_the_refusal_says_what_to_write_in_chinese(district):
    response = submit(Client(), district, description=SHORT)
    page = response.content.decode()
    assert response.status_code == 200
    assert "请至少写 10 个字（目前 8 个）。" in page
    assert "该变量" not in page and "字符(" not in page
    assert SHORT in page


def test_and_in_english(district):
    response = submit(Client(HTTP_ACCEPT_LANGUAGE="en"), district, description=SHORT)
    assert "Please write at least 10 characters (now 8)." in response.content.decode()
