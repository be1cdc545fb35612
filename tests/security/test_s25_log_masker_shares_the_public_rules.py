"""The log masker (``mask_text``: log lines, the access log's URLs, exports) masks what public
text masks, by the same rules (note, session 24: it had the phone patterns only, so the B and D
findings of session 24 were masked on Open311 and written whole into the logs)."""

from __future__ import annotations

import logging

import pytest

from hotline.security.masking import MaskPhonesFilter, mask_personal, mask_text

ZW = "\u200b"

CASES = [
    # B: invisible characters between the digits
    (f"回电139{ZW}1234{ZW}5678", f"回电***{ZW}****{ZW}5678"),
    ("139\u20601234\u20605678", "***\u2060****\u20605678"),
    # D: bank cards, 15-digit IDs, brackets, thousands' commas, QQ / passport after their word
    ("工资卡号6222021234567890123", "工资卡号***************0123"),
    ("身份证310101900101123", "身份证310101******123"),
    ("电话(139)1234-5678", "电话(***)****-5678"),
    ("手机13,912,345,678", "手机**,***,**5,678"),
    ("QQ 123456789", "QQ *****6789"),
    ("护照E12345678", "护照E****5678"),
    ("139·1234·5678", "***·****·5678"),
    # and an 18-digit ID number whole, as in parts
    ("310101199001011234", "310101********1234"),
    # and numerals, circled digits (session 27: c70a519 left them to public text)
    ("一三九一二三四五六七八", "*******五六七八"),
    ("电话①③⑨-①②③④-⑤⑥⑦⑧", "电话***-****-⑤⑥⑦⑧"),
    ("身份证三一〇一〇一一九九〇〇一〇一一二三四", "身份证三一〇一〇一********一二三四"),
]


@pytest.mark.parametrize(("text", "masked"), CASES)
def test_the_log_masker_masks_what_public_text_masks(text, masked):
    assert mask_text(text) == masked
    assert mask_personal(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "GET /orders/20261206-000123/ 200",
        "GET /kb/?v=15.2026.1201.3",
        "amount 13,500,000,000 元",
        "2026-12-06 17:31:00,123 dispatch done",
        "user wang.wu@qq.com logged in",  # accounts are named by e-mail in the logs
        "二〇二六年十二月六日，一二三四号楼",  # a date and a short house number in numerals
    ],
)
def test_what_the_logs_keep(text):
    assert mask_text(text) == text


def test_a_log_record_is_masked_by_the_filter():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "卡号 %s", ("6222021234567890123",), None
    )
    MaskPhonesFilter().filter(record)
    assert record.getMessage() == "卡号 ***************0123"
