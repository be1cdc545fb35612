"""Public text: a phone number written in Chinese numerals is masked too (attack report, session
22: ``一三九一二三四五六七八`` passed Open311's published description whole). The logs'
:func:`mask_text` reads them too since session 27 (brief h2: a log must not hold a whole mobile
either)."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal, mask_text


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("联系一三九一二三四五六七八", "联系*******五六七八"),
        ("电话幺三九 一二三四 五六七八谢谢", "电话*** **** 五六七八谢谢"),
        ("座机六二三四五六七八", "座机****五六七八"),
        ("139 1234 5678", "*** **** 5678"),
        ("139-1234-5678", "***-****-5678"),
        # Review, session 22: financial and spoken numerals, and an ID number in numerals.
        ("电话壹叁玖壹贰叁肆伍陆柒捌", "电话*******伍陆柒捌"),
        ("幺三九拐二三四五六七八", "*******五六七八"),
        ("身份证三一〇一〇一一九九〇〇一〇一一二三四", "身份证三一〇一〇一********一二三四"),
        # A number in digits beside a word with a numeral is masked as written (review).
        ("电话13912345678一直打不通", "电话*******5678一直打不通"),
        ("请拨13912345678两次", "请拨*******5678两次"),
        ("联系人张三13912345678三楼", "联系人张三*******5678三楼"),
        ("021-62345678一直占线", "***-****5678一直占线"),
    ],
)
def test_numbers_in_chinese_numerals_are_masked(typed, published):
    assert mask_personal(typed) == published


@pytest.mark.parametrize(
    "text",
    [
        "二〇二六年十二月六日，一二三四号楼",  # a date and a short house number stay
        "三三两两的人在一起",
        "七八个人",
        "一九九八年建成",
    ],
)
def test_ordinary_chinese_numbers_stay(text):
    assert mask_personal(text) == text


def test_the_logs_mask_numerals_too():
    assert mask_text("一三九一二三四五六七八") == "*******五六七八"
