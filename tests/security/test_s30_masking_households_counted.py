"""A count of households is no flat (brief h7, session 30).

Una (江宁路街道) replies "共和新路100弄3号楼120户居民已恢复供水": an older rule took any three to
five digits before 户 for a door (1201户), so the rating page published "3号楼***户居民", hiding a
count. 户 is now a count when the households are named after it (居民, 人家, 家庭, 村民 …), an
estimate follows (左右, 以上 …) or a counting word stands before the number (共, 约, 涉及, 全楼 …).
An amount in thousands (3,408户, as real FAQ text writes a count) is no flat either.
Without either, a number before 户 is still a door (3号楼1201户, 1201户业主反映), and 室, 号 or a
bare number after a building are as before (3号楼120室, 3号楼120号, 3号楼1201).
"""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_flat, public_text


@pytest.mark.parametrize(
    "text",
    [
        "3号楼120户居民",
        "共和新路100弄3号楼120户居民已恢复供水",
        "3号楼120 户居民",
        "小区共120户",
        "全楼120户都停水",
        "涉及300户居民",
        "约120户",
        "3号楼120户左右",
        "影响1200户人家",
        "3号楼120户家庭",
        "3号楼一百二十户居民",
        # Real FAQ text of the shared data: counts in thousands.
        "總户數為3,408户，世大運期間約2,138户做為住宿区使用",
        "共12,000户",
        "退费1,200元",
    ],
)
def test_a_count_of_households_stays(text):
    assert mask_flat(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("3号楼120室", "3号楼***室"),
        ("3号楼120号", "3号楼***号"),
        ("3号楼1201", "3号楼****"),
        ("3号楼1201户", "3号楼****户"),
        ("3号楼120户", "3号楼***户"),
        ("1201户", "****户"),
        ("3号楼1201户业主反映漏水", "3号楼****户业主反映漏水"),
        ("共和新路100弄3号楼120室，共120户居民", "共和新路100弄3号楼***室，共120户居民"),
        ("楼上301住户半夜装修", "楼上***住户半夜装修"),
        ("3号楼201,202室", "3号楼***,***室"),
        ("201,202室", "***,***室"),
    ],
)
def test_a_households_door_is_still_masked(text, masked):
    assert mask_flat(text) == masked


def test_unas_reply_is_published_with_its_count():
    reply = "王小明反映的3号楼120户居民停水问题已解决，我家201已回访"
    assert public_text(reply, "王小明") == "王**反映的3号楼120户居民停水问题已解决，我家***已回访"
