"""A flat written without 室 and followed by more words is masked (session 28, h6's leftover).

Wang Xiaoming writes "共和新路100弄#201也是" (his neighbour's flat leaks too) or "3号201漏水":
a flat after a building, a 单元, a floor or a lane's # was masked only where the address ended or
a comma, a space or 和 followed it, so a sentence that went on published it whole. Now words may
follow, unless they make the number an amount, a measure, a count, a year or a time; and a day
of the month (3月5号) is no building. Full-width digits are digits.
"""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_flat, public_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("共和新路100弄#201也是", "共和新路100弄#***也是"),
        ("共和新路100弄＃201也是", "共和新路100弄＃***也是"),
        ("共和新路100弄3号201也漏水", "共和新路100弄3号***也漏水"),
        ("共和新路100弄3号楼201家漏水", "共和新路100弄3号楼***家漏水"),
        ("共和新路100弄3号楼201号也是", "共和新路100弄3号楼***号也是"),
        ("共和新路100弄3-201也是", "共和新路100弄3-***也是"),
        ("3#201楼下", "3#***楼下"),
        ("2单元201的业主", "2单元***的业主"),
        ("12楼1201也漏水", "12楼****也漏水"),
        ("共和新路１００弄＃２０１也是", "共和新路１００弄＃***也是"),
        ("共和新路100弄3号２０１也漏水", "共和新路100弄3号***也漏水"),
        # Before, and still: the end, a comma, a list, a room word.
        ("共和新路100弄#201", "共和新路100弄#***"),
        ("共和新路100弄3号201，202也是", "共和新路100弄3号***，***也是"),
        ("共和新路100弄3号201室也是", "共和新路100弄3号***室也是"),
    ],
)
def test_the_flat_is_masked_with_words_after_it(text, masked):
    assert mask_flat(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "江宁路500号也是",
        "共和新路100弄201号也是",
        "3号楼200米外有垃圾站",
        "5楼300多人排队",
        "3号楼2019年建成",
        "大楼1000平方的空地",
        "3号楼500元一个月",
        "3号楼201号楼",
        "地铁1号线200米",
        "3月5号1430来电",
        "3月15号1430来电",
        "江宁路500号，2026年起",
    ],
)
def test_amounts_measures_years_and_times_stay(text):
    assert mask_flat(text) == text


def test_the_rating_page_and_open311_mask_it_in_a_sentence():
    said = "王小明说共和新路100弄#201也是这样"
    assert public_text(said, "王小明") == "王**说共和新路100弄#***也是这样"
