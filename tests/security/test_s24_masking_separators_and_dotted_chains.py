"""Public text: a mobile split by a bar, an asterisk, a tilde, a colon or a semicolon (either
width) is masked, and a dotted chain of numbers is not taken for a local number (brief, session
24: Open311 published ``139|1234|5678`` and ``139：1234：5678`` whole, and ``15.2026.1201.3`` as
``15.****.1201.3``). Dates, times, amounts, order numbers and lists written with the same
characters stay as written; a real number written with dots is still masked."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal, mask_text


@pytest.mark.parametrize(
    "text",
    [
        "15.2026.1201.3",
        "合同 No.15.2026.1201.3 已签",
        "15．2026．1201．3",
        "版本 v15.2026.1201.3",
        "2026.12.01",
        "2026.12.01 13:45:00",
        "时间 12：30：45",
        "2026-12-16 18:45:30 19:20:11",
        "比分 3:2，3；2",
        "1|2|3|4",
        "1*2*3 米",
        "13~15号楼，13～15号楼",
        "工单 20261207-000002",
        "工单 20261207-000002；20261207-000003",
        "金额 18,000|25,000|6,500 元",
        "139|1234|567",  # ten digits: no number
    ],
)
def test_ordinary_numbers_with_these_characters_stay(text):
    assert mask_personal(text) == text


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("139|1234|5678", "***|****|5678"),
        ("139｜1234｜5678", "***｜****｜5678"),
        ("139*1234*5678", "*********5678"),
        ("139~1234~5678", "***~****~5678"),
        ("139～1234～5678", "***～****～5678"),
        ("139：1234：5678", "***：****：5678"),
        ("139:1234:5678", "***:****:5678"),
        ("139;1234;5678", "***;****;5678"),
        ("139；1234；5678", "***；****；5678"),
        ("请回电 139 | 1234 | 5678，谢谢", "请回电 *** | **** | 5678，谢谢"),
        (
            "电话：139；1234；5678；工单 20261207-000002",
            "电话：***；****；5678；工单 20261207-000002",
        ),
        # A real number written with dots is still one.
        ("电话 6234.5678。", "电话 ****.5678。"),
        ("021.6234.5678", "***.****.5678"),
        ("+86.21.6234.5678", "+86.21.****.5678"),
    ],
)
def test_numbers_so_written_are_masked(typed, published):
    assert mask_personal(typed) == published


def test_the_log_mask_leaves_a_dotted_chain_too():
    assert mask_text("GET /kb/?v=15.2026.1201.3") == "GET /kb/?v=15.2026.1201.3"
    assert mask_text("phone=6234.5678") == "phone=****.5678"
