"""Public text, session 26 (review, session 25, L12; h4's leftovers of session 25):

- a caller named 张江 or 江宁 no longer masks the station or road named like them (张江站, 江宁道):
  before 站, 道, 里, 园 the name is a place's where the place's name ends there (the text's end,
  a number, a comma, 附近, 口 …), and still a person's before 站在, 道歉, 里外, 园区;
- two years side by side ("2026 2027") are no local number, unless the text says a number comes;
- a mobile with single letters between its parts (138a1234b5678), and spaced 4-5-2
  (1391 23456 78), is masked;
- the given name alone (张三丰 → "三丰说") is masked, where the surname is known.
"""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.security.masking import mask_name, mask_personal, mask_text
from tests.open311.test_georeport import post
from tests.open311.test_partners_and_publication import key_of
from tests.open311.test_published_address import published


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("张江站", "张江"),
        ("住在张江站附近，地铁口有积水", "张江"),
        ("江宁道100号路灯不亮", "江宁"),
        ("江宁道与和平路口", "江宁"),
        ("步高里3号", "步高"),
        ("世纪公园东门", "世纪"),
        ("张江站，江宁道", "张江"),
    ],
)
def test_a_station_or_road_named_like_the_caller_stays(text, name):
    assert mask_name(text, name) == text


@pytest.mark.parametrize(
    ("text", "name", "published"),
    [
        ("江宁说江宁道歉也没用", "江宁", "江*说江*道歉也没用"),
        ("联系人江宁", "江宁", "联系人江*"),
        ("张江站在楼下等", "张江", "张*站在楼下等"),
        ("王小明道：我住三楼", "王小明", "王**道：我住三楼"),
        ("我是张江，住张江站旁边", "张江", "我是张*，住张江站旁边"),
        # The given name alone.
        ("三丰说楼下太吵", "张三丰", "三*说楼下太吵"),
        ("我叫张三丰，三丰是我", "张三丰", "我叫张**，三*是我"),
        ("娜娜来电", "欧阳娜娜", "娜*来电"),
        ("小明来电", "小明王", "小*来电"),
    ],
)
def test_the_caller_is_still_masked(text, name, published):
    assert mask_name(text, name) == published


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("三张照片", "张三"),  # of 张三, 三 alone is no one's name
        ("明天再来", "王明"),
        ("建国路100号", "王建国"),  # the given name before a road is the road's
    ],
)
def test_a_short_given_name_and_a_road_stay(text, name):
    assert mask_name(text, name) == text


@pytest.mark.parametrize(
    "text",
    [
        "2026 2027",
        "2026-2027 年度",
        "2026.2027",
        "2026 2027 2028 三年",
        "1391、23456、78",  # a list
        "合同 No.15-2026-1201-3",
        "SN138A1234B5678",  # letters that are part of a code
    ],
)
def test_years_lists_and_codes_stay(text):
    assert mask_personal(text) == text
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("138a1234b5678", "***a****b5678"),
        ("请打 139 x 1234 y 5678", "请打 *** x **** y 5678"),
        ("1391 23456 78", "**** ***56 78"),
        ("电话2026 2027", "电话**** 2027"),
        ("6234 5678", "**** 5678"),
    ],
)
def test_a_number_is_masked(typed, published):
    assert mask_personal(typed) == published
    assert mask_text(typed) == published


def test_open311_keeps_the_station_named_like_the_caller(district):
    response = post(
        Client(),
        key_of(district.olga),
        first_name="江",
        last_name="张",
        address_string="浦东新区张江站2号口",
        description="我是张江，张江站2号口的路灯不亮，三丰说过好几次了。",
    )
    assert response.status_code == 200, response.content
    number = response.json()[0]["service_request_id"]
    for record in published(number):
        assert record["address"] == "浦东新区张江站2号口"
        assert record["description"] == "我是张*，张江站2号口的路灯不亮，三丰说过好几次了。"
