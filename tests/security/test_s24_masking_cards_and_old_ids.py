"""Public text: bank card numbers, 15-digit (first-generation) ID numbers, a mobile with its
prefix in brackets or written in thousands' commas, QQ and passport numbers after their word
are masked (h4's finding D, session 24: Open311 published "工资卡号6222021234567890123，QQ
123456789，护照E12345678", "(139)1234-5678", "身份证310101900101123" and "13,912,345,678"
whole). Amounts, dates, order numbers, reference numbers, lists and long numbers that are no
card stay as written."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        # Bank cards: the check digit (Luhn) passes, or 卡/账 names it; the last four show.
        ("6222021234567890128", "***************0128"),
        ("6228480012345671", "************5671"),
        ("银行卡 6222 0212 3456 7890 128", "银行卡 **** **** **** ***0 128"),
        ("4111-1111-1111-1111", "****-****-****-1111"),
        ("工资卡号6222021234567890123", "工资卡号***************0123"),
        ("账号：6222 0212 3456 7890", "账号：**** **** **** 7890"),
        # First-generation ID numbers: the birth date, as the 18-digit one's.
        ("身份证310101900101123", "身份证310101******123"),
        ("旧证 310101 900101 123", "旧证 310101 ****** 123"),
        ("310101-900101-123", "310101-******-123"),
        # Mobiles in brackets or thousands' commas.
        ("联系电话(139)1234-5678 王先生", "联系电话(***)****-5678 王先生"),
        ("（139）1234 5678", "（***）**** 5678"),
        ("13,912,345,678", "**,***,**5,678"),
        ("电话 13，912，345，678。", "电话 **，***，**5，678。"),
        # QQ and passport numbers after their word.
        ("QQ 123456789", "QQ *****6789"),
        ("qq号：12345", "qq号：***45"),
        ("护照E12345678", "护照E****5678"),
        ("护照号码: EA1234567", "护照号码: EA****567"),
        (
            "欠薪三个月，工资卡号6222021234567890123，QQ 123456789，护照E12345678",
            "欠薪三个月，工资卡号***************0123，QQ *****6789，护照E****5678",
        ),
    ],
)
def test_these_numbers_are_masked(typed, published):
    assert mask_personal(typed) == published


@pytest.mark.parametrize(
    "text",
    [
        "金额 1,234,567 元",
        "1,234,567",
        "13,500,000,000",
        "损失约 13，500，000，000 元",
        "预算 13,912,345,678 元",
        "￥13,912,345,678",
        "13,912,345,678.50",
        "工单 20261207-000002",
        "工单 20261207-000002、20261207-000003",
        "编号 6222021234567890123",  # no card's check digit, no card word
        "流水号 12345678901234567890",  # twenty digits
        "合同 No.15-2026-1201-3",
        "2026-12-06 13:45:30",
        "第(1)、(2)、(3)项",
        "（1）路灯（2）井盖",
        "编号 123456789012345",  # fifteen digits, no area or birth date
        "2023-0309-0001-2345-67",
        "护照已过期，E12345678 是型号",
        "QQ群里说的",
        "比分 (3:2)",
        "13~15号楼",
    ],
)
def test_amounts_and_other_numbers_stay(text):
    assert mask_personal(text) == text
