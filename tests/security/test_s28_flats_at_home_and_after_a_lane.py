"""A caller's flat where no building names it (session 28, h6; h2's leftovers of session 27).

Wang Xiaoming writes "我家201、202都漏水" (no 号, 楼 or 单元 before the flats) or gives his
address as "共和新路100弄#201" (a # right after the lane): both flats were published whole on
Open311 and the rating page. Now a number right after 我家, 家住, 住在, 楼上, 楼下, 隔壁 or 对门 is
a flat, unless a year, a measure, an amount or a time follows it; and # after 弄 marks a flat as
# after a building does. Years, areas, weights, distances and a lane's house number stay.
"""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_flat, public_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我家201、202都漏水", "我家***、***都漏水"),
        ("我家201、202", "我家***、***"),
        ("我家1201和1202", "我家****和****"),
        ("家住1201", "家住****"),
        ("楼上301住户半夜装修", "楼上***住户半夜装修"),
        ("共和新路100弄#201", "共和新路100弄#***"),
        ("共和新路100弄 ＃ 201室", "共和新路100弄 ＃ ***室"),
    ],
)
def test_the_flat_is_masked(text, masked):
    assert mask_flat(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "我家2019年装修过",
        "我家100平米",
        "楼上300多斤的东西",
        "楼下500米有工地",
        "住在500号楼",
        "住在江宁路500号",
        "共和新路100弄201号",
        "共和新路100弄",
    ],
)
def test_years_measures_and_house_numbers_stay(text):
    assert mask_flat(text) == text


def test_wang_xiaomings_report_is_published_without_his_flats():
    published = public_text("王小明反映：我家201、202都漏水，地址共和新路100弄#201", "王小明")

    assert published == "王**反映：我家***、***都漏水，地址共和新路100弄#***"
