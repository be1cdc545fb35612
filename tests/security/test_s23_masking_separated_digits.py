"""Public text: a mobile or ID number written in separated parts is masked too (brief, session
23). ``13912345678`` and ``139 1234 5678`` were masked, ``1 3 9 1 2 3 4 5 6 7 8`` and
``1391 234 5678`` were published whole (or their first four digits were); ordinary numbers
written the same way (dates, amounts, order numbers, house numbers) stay as written."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-06",
        "2026-12-06 13:45 来电",
        "2026.12.06 第 3 次",
        "3 4 5 号楼",
        "3-5 楼，7-9 号",
        "金额 1 234 567 元",
        "补贴 12.5 元、3.5 元、1.25 元",
        "工单 20261206-000123 已办结",
        "工单 20261206-000123、20261206-000124",
        "案件 HQ-2026-000123",
        "1 2 3 4 5 6 7 8 9 0 1",  # 11 digits, but no mobile number
        "139 1234 567",  # ten digits: no number
        "2019-2020-2021 年",
        "2023-0309-0001-2345-67",  # 18 digits that cannot be an ID (no birth date)
        "12 14 16 18 20 22 号",
    ],
)
def test_ordinary_numbers_in_parts_stay(text):
    assert mask_personal(text) == text


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("1 3 9 1 2 3 4 5 6 7 8", "* * * * * * * 5 6 7 8"),
        ("电话：1 3 9 1 2 3 4 5 6 7 8，谢谢", "电话：* * * * * * * 5 6 7 8，谢谢"),
        ("1391 234 5678", "**** *** 5678"),
        ("13 91 23 45 67 8", "** ** ** *5 67 8"),
        ("139-12 34-5678", "***-** **-5678"),
        ("1.3.9.1.2.3.4.5.6.7.8", "*.*.*.*.*.*.*.5.6.7.8"),
        (
            "1\u30003\u30009\u30001\u30002\u30003\u30004\u30005\u30006\u30007\u30008",
            "*\u3000*\u3000*\u3000*\u3000*\u3000*\u3000*\u30005\u30006\u30007\u30008",
        ),
        ("139 - 1234 - 5678", "*** - **** - 5678"),
        ("１ ３ ９ １ ２ ３ ４ ５ ６ ７ ８", "* * * * * * * ５ ６ ７ ８"),
        ("+86 1391 234 5678", "+86 **** *** 5678"),
        ("请拨 1 3 9 1 2 3 4 5 6 7 8 2 次", "请拨 * * * * * * * 5 6 7 8 2 次"),
        ("一 三 九 一 二 三 四 五 六 七 八", "* * * * * * * 五 六 七 八"),
        ("身份证 3101 0119 9001 0112 34", "身份证 3101 01** **** **12 34"),
        (
            "身份证 3 1 0 1 0 1 1 9 9 0 0 1 0 1 1 2 3 X",
            "身份证 3 1 0 1 0 1 * * * * * * * * 1 2 3 X",
        ),
        ("310-101-1990-0101-123x", "310-101-****-****-123x"),
    ],
)
def test_numbers_in_parts_are_masked_as_written(typed, published):
    assert mask_personal(typed) == published


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        # These were masked already; they stay so.
        ("139 1234 5678", "*** **** 5678"),
        ("139-1234-5678", "***-****-5678"),
        ("13912345678", "*******5678"),
        ("310101 19900101 1234", "310101 ******** 1234"),
    ],
)
def test_what_was_masked_stays_masked(typed, published):
    assert mask_personal(typed) == published
