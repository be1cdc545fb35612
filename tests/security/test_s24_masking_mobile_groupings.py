"""Public text: a mobile whose first part is its three-digit prefix is masked however the rest is
grouped (h4's finding L, session 24: af2ee7c's grouping rule published ``139 1234 56 78``,
``139-123-456-78`` and ``139 12 34 56 78`` whole on Open311; they were masked before it).
Reference numbers, amounts, dates after a number, order numbers and ranges stay as written."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("139 1234 56 78", "*** **** 56 78"),
        ("139-123-456-78", "***-***-*56-78"),
        ("139 12 34 56 78", "*** ** ** 56 78"),
        ("１３９ １２３４ ５６ ７８", "*** **** ５６ ７８"),
        ("139、1234、56、78", "***、****、56、78"),
        # A date is not a mobile's grouping, but the same digits written in one grouping are.
        ("139 2012 05 16", "*** **** 05 16"),
        ("139-2026-12-01", "***-****-12-01"),
        (
            "路灯坏了，请打我手机 139 1234 56 78，或者 139-123-456-78，或 139 12 34 56 78",
            "路灯坏了，请打我手机 *** **** 56 78，或者 ***-***-*56-78，或 *** ** ** 56 78",
        ),
    ],
)
def test_a_mobile_after_its_prefix_is_masked_however_grouped(typed, published):
    assert mask_personal(typed) == published


@pytest.mark.parametrize(
    "text",
    [
        "合同 No.15-2026-1201-3",
        "房间 135 2026-12-01 入住",
        "135 2026/12/01",
        "工单 20261207-000002",
        "工单 20261207-000002、20261207-000003",
        "金额 1,391,234,567 元",
        "2026-12-06 13:45:30",
        "2026-12-16 18:45:30 19:20:11",
        "比分 3:2",
        "13~15号楼",
        "第 130-150 号",
        "135 1234 56",  # nine digits
        "139 1234 56 7",  # ten digits
    ],
)
def test_reference_numbers_dates_and_ranges_stay(text):
    assert mask_personal(text) == text
