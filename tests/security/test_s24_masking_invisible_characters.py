"""Public text: a mobile or ID number with invisible characters between its digits is masked
(h4's finding B, session 24: Open311 published ``139\\u200b1234\\u200b5678`` and an ID number
split by a zero-width space whole; the same for ZWNJ, ZWJ, word joiner, BOM and soft hyphen).
The invisible characters stay where they were; numbers that are no phone or ID number stay."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_a_mobile_split_by_an_invisible_character_is_masked(mark):
    typed = f"请回电139{mark}1234{mark}5678，谢谢"
    assert mask_personal(typed) == f"请回电***{mark}****{mark}5678，谢谢"


@pytest.mark.parametrize("mark", INVISIBLE)
def test_an_id_number_split_by_an_invisible_character_is_masked(mark):
    typed = f"身份证3101011990010{mark}11234"
    assert mask_personal(typed) == f"身份证310101*******{mark}*1234"


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        # Between every digit, beside a space, or as a keycap (digit, VS16, enclosing keycap).
        (
            "1\u200b3\u200b9\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7\u200b8",
            "*\u200b*\u200b*\u200b*\u200b*\u200b*\u200b*\u200b5\u200b6\u200b7\u200b8",
        ),
        ("139 \u20601234 \u20605678", "*** \u2060**** \u20605678"),
        (
            "1\ufe0f\u20e33\ufe0f\u20e39\ufe0f\u20e3 12345678",
            "*\ufe0f\u20e3*\ufe0f\u20e3*\ufe0f\u20e3 ****5678",
        ),
        ("电话\u200b13912345678\u200b", "电话\u200b*******5678\u200b"),
        ("310101\u00ad19900101\u00ad1234", "310101\u00ad********\u00ad1234"),
        (
            "邮箱 wang.wu@qq.com\u200b 电话139\u200b12345678",
            "邮箱 w***@qq.com\u200b 电话***\u200b****5678",
        ),
    ],
)
def test_other_placings_are_masked(typed, published):
    assert mask_personal(typed) == published


@pytest.mark.parametrize(
    "text",
    [
        "工单 20261207\u200b-000002",
        "2026\u200b-12-06 13:45",
        "金额 1,391\u200b,234,567 元",
        "合同 No.15-2026\u200b-1201-3",
        "第\u200b13、14、15\u200b号楼",
        "139\u200b1234\u200b567",  # ten digits
        "\ufeff路灯不亮",
        "👨\u200d👩\u200d👧 一家三口",
    ],
)
def test_other_numbers_and_text_stay(text):
    assert mask_personal(text) == text
