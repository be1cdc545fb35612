"""A flat said digit by digit in Chinese numerals is masked as the same flat in digits (brief h7,
session 30).

Wang Xiaoming tells the operator "我家二〇一漏水", as people say a flat on the phone, and the
operator types it so: the flat went out whole on Open311 and the rating page, where "我家201"
was masked. Now three to five numerals side by side (〇 or ○, 零, 幺 and 洞 as a phone number is
read out, 一 to 九) are read as the digits they stand for, and the flat rules judge them by the
words round them, as they judge digits: after 我家, 楼上, a building, a 单元 or a floor, or
before 室, a flat; a road's house number (江宁路三〇二号), a year (二〇二六年), a floor (十二楼),
a public building's floor (一楼大厅), a time (二十分钟) or an amount (一百二十元) stays. Numerals
beside 十, 百, 千, 万 or 亿 count things; they never name a door.
"""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_flat, public_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我家二〇一漏水", "我家***漏水"),
        ("我家二零一", "我家***"),
        ("我家二○一", "我家***"),  # a white circle typed for 〇
        ("我家二〇一、二〇二都漏水", "我家***、***都漏水"),
        ("我住一二〇一", "我住****"),
        ("我住1201", "我住****"),
        ("楼上幺洞幺半夜装修", "楼上***半夜装修"),
        ("幺洞幺室", "***室"),
        ("二零一室", "***室"),
        ("共和新路100弄3号楼三〇二号", "共和新路100弄3号楼***号"),
        ("3号楼三〇二号也漏水", "3号楼***号也漏水"),
        ("三号楼一二〇一", "三号楼****"),
        ("十二楼一二〇一也漏水", "十二楼****也漏水"),
        ("2单元五〇二的业主", "2单元***的业主"),
        ("共和新路100弄3-二〇一", "共和新路100弄3-***"),
    ],
)
def test_a_flat_in_numerals_is_masked(text, masked):
    assert mask_flat(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "二〇二六年十二月七日来电",
        "我家二〇一九年装修过",
        "3号楼二〇一九年建成",
        "江宁路三〇二号",
        "一楼大厅的取号机坏了",
        "十二楼的灯不亮",
        "十二楼",
        "等了二十分钟",
        "多收了一百二十元",
        "楼下三四五百人排队",
        "楼下三三两两的人",
        "七拐八拐到了楼下",
        "一二三四号楼",
        "3号楼一二〇米外",
        "我家一百二十平米",
    ],
)
def test_years_floors_times_and_amounts_in_numerals_stay(text):
    assert mask_flat(text) == text


def test_the_rating_page_and_open311_mask_his_flat_in_numerals():
    said = "王小明说我家二〇一的天花板漏水，二〇二六年十二月七日来电"
    assert public_text(said, "王小明") == "王**说我家***的天花板漏水，二〇二六年十二月七日来电"
