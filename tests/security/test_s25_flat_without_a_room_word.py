"""A named report's flat is masked when its address has no 室, 房 or 户 (h4's finding 4,
session 25: "共和新路100弄3号201" was published whole; Shanghai addresses are often written
X弄Y号Z). The road's house number, lanes, ranges and distances stay."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.security.masking import mask_flat
from tests.open311.test_georeport import post
from tests.open311.test_partners_and_publication import key_of
from tests.open311.test_published_address import published


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("共和新路100弄3号201", "共和新路100弄3号***"),
        ("共和新路100弄3-201", "共和新路100弄3-***"),
        ("共和新路100弄3号楼2单元201", "共和新路100弄3号楼2单元***"),
        ("共和新路100弄3号楼 12楼1201", "共和新路100弄3号楼 12楼****"),
        ("共和新路100弄3号楼201号", "共和新路100弄3号楼***号"),
        ("共和新路100弄3号楼201-1室", "共和新路100弄3号楼***-1室"),
        ("共和新路100弄3号楼二零一室", "共和新路100弄3号楼***室"),
        ("江宁路500号1201", "江宁路500号****"),
        ("共和新路100弄3号201 王**", "共和新路100弄3号*** 王**"),
    ],
)
def test_a_flat_without_a_room_word_is_masked(address, masked):
    assert mask_flat(address) == masked


@pytest.mark.parametrize(
    "address",
    [
        "江宁路500号",
        "静安区江宁路 500 号",
        "江宁路500号-502号",
        "江宁路100-200弄",
        "江宁路500号100米处",
        "长寿路100号楼 200米",
        "江宁路500号，2026年起",
        "江宁路500号 3楼",
        "2室1厅，房屋 120 平方米",
    ],
)
def test_house_numbers_lanes_and_distances_stay(address):
    assert mask_flat(address) == address


def test_open311_publishes_the_building_not_the_flat(district):
    response = post(Client(), key_of(district.olga), address_string="共和新路100弄3号201")
    assert response.status_code == 200, response.content
    for record in published(response.json()[0]["service_request_id"]):
        assert record["address"] == "共和新路100弄3号***"
