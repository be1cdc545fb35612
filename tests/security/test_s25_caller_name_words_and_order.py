"""The caller's name is masked before 站, 道, 里, 园 (words after a person: 站在, 道歉, 里外, 园区),
with its surname stored last (小明王) and with a title (王小明先生) (h4's finding 3, session 25:
8cd94df left "王小明站在楼下" whole, and a partner app that sends 姓 as first_name had its caller
stored as 小明王, whose name "我叫王小明" was published whole). A name before 路, 街, 区 … and an
estate's or avenue's name (三和花园, 世纪大道) is still the place's (8cd94df)."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.orders.models import WorkOrder
from hotline.security.masking import mask_name
from tests.open311.test_georeport import post
from tests.open311.test_partners_and_publication import key_of
from tests.open311.test_published_address import published


@pytest.mark.parametrize(
    ("text", "name", "masked"),
    [
        (
            "我叫王小明，晚上王小明站在楼下都看不见路",
            "王小明",
            "我叫王**，晚上王**站在楼下都看不见路",
        ),
        ("我王小明道歉也没用", "王小明", "我王**道歉也没用"),
        ("王小明里外不是人", "王小明", "王**里外不是人"),
        ("王小明园区员工", "王小明", "王**园区员工"),
        # Stored surname last (first_name=王, last_name=小明): found with the surname first too.
        ("我叫王小明，小区路灯坏了", "小明王", "我叫王**，小区路灯坏了"),
        ("我叫张伟", "伟张", "我叫张*"),
        ("欧阳小明来电", "小明欧阳", "欧***来电"),
        # Stored with a title.
        ("我叫王小明", "王小明先生", "我叫王**"),
        ("王小明女士来电", "王小明女士", "王****来电"),
        ("王先生来电", "王先生", "王**来电"),
    ],
)
def test_the_name_is_masked(text, name, masked):
    assert mask_name(text, name) == masked


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("家住江宁路100号", "江宁"),
        ("和平街道", "和平"),
        ("和平区", "和平"),
        ("三和花园3号楼", "三和"),
        ("世纪大道地铁站", "世纪"),
        ("曹杨新村", "曹杨"),
        ("三张照片", "张三"),  # a given name that is no surname is not turned round
        ("伟张", "张伟"),  # nor one whose last character is no surname
    ],
)
def test_a_place_and_other_words_stay(text, name):
    assert mask_name(text, name) == text


def test_open311_masks_a_name_whose_parts_came_the_other_way_round(district):
    response = post(
        Client(),
        key_of(district.olga),
        first_name="王",
        last_name="小明",
        description="我叫王小明，晚上王小明站在楼下都看不见路。",
    )
    assert response.status_code == 200, response.content
    number = response.json()[0]["service_request_id"]
    assert WorkOrder.objects.get(number=number).citizen_name == "小明王"
    for record in published(number):
        assert record["description"] == "我叫王**，晚上王**站在楼下都看不见路。"
