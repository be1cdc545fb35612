"""Public text: amounts, reference numbers and dates are not read as a mobile number whose
digits were joined across separators (review, session 23, MEDIUM-2: after 037d13f and 11340b3
``分别为 18,000、25,000、6,500 元`` was published as ``分别为 **,***、**,000、6,500 元`` and
``No.15-2026-1201-3`` as ``No.**-****-*201-3``). Joined parts make a mobile only when they take
in no digit of an amount written in thousands and are grouped as people write a mobile (the
last part carries at least three digits, or every part one or two); mobiles so written are
still masked."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal


@pytest.mark.parametrize(
    "text",
    [
        "分别为 18,000、25,000、6,500 元",
        "合同 No.15-2026-1201-3",
        "金额 1,391,234,567 元",
        "编号 2026-1391-2345",
        "订单 20261207-000001",
        "2026/12/06",
        "2026年12月6日",
        # The same, a little further.
        "补偿 18，000、25，000、6，500 元",
        "分别为 18,000 25,000 6,500 元",
        "18,000、25,000、6 元",
        "合同 No.15-2026-1201-3 已签",
    ],
)
def test_amounts_and_reference_numbers_stay(text):
    assert mask_personal(text) == text


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("139 12345678", "*** ****5678"),
        ("1391 234 5678", "**** *** 5678"),
        ("13 91 23 45 678", "** ** ** *5 678"),
        ("13 91 23 45 67 8", "** ** ** *5 67 8"),
        ("139-12 34-5678", "***-** **-5678"),
        ("1 3 9 1 2 3 4 5 6 7 8", "* * * * * * * 5 6 7 8"),
        # A mobile beside an amount is still masked.
        ("赔偿 18,000 元，电话 139、1234、5678", "赔偿 18,000 元，电话 ***、****、5678"),
        ("18,000、139 1234 5678", "18,000、*** **** 5678"),
        ("身份证 3101 0119 9001 0112 34", "身份证 3101 01** **** **12 34"),
    ],
)
def test_mobiles_in_parts_are_still_masked(typed, published):
    assert mask_personal(typed) == published
