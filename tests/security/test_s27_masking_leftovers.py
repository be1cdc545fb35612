"""What the public pages and Open311 show of a caller, session 27 (brief h2, leftovers of
sessions 25-26):

- a flat written without 室 in other forms (3号，201; 201A; 3#201; 3号#201) and every flat of a
  list (3号201、202) is masked; a phone's extension (6234-5931#266) and a house number stay;
- Wang Jianguo's name before 路过 or 街头 is his, not a road's;
- a caller named 张江 keeps 张江高科站, 张江医院, 张江中学门口 (places named after the area), while
  "张江到站了", "张江大学毕业" are still hers;
- the given name alone (建国) stays in a fixed phrase (建国以来), and is masked elsewhere;
- the logs mask a mobile or ID number in numerals or circled digits, as public text does; a
  weekday's numeral beside a time (10/31(六)9:00) joins no digits into a mobile, in either;
- a schedule's or a bus-route list's small numbers ("1/22 13:00 (2) 1/23 11:00") are read as
  an ID number only in an ID's grouping: parts of three or more, or ones or twos with one gap;
- years side by side and a budget in thousands' commas stay (already so since 94f2053).
"""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from hotline.security.masking import (
    MaskPhonesFilter,
    mask_flat,
    mask_name,
    mask_personal,
    mask_text,
    public_text,
)
from tests.open311.test_georeport import post
from tests.open311.test_partners_and_publication import key_of
from tests.open311.test_published_address import published


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("共和新路100弄3号，201", "共和新路100弄3号，***"),
        ("共和新路100弄3号201A", "共和新路100弄3号***A"),
        ("共和新路100弄3号#201", "共和新路100弄3号#***"),
        ("共和新路100弄3#201", "共和新路100弄3#***"),
        ("共和新路100弄3#-201", "共和新路100弄3#-***"),
        ("共和新路100弄3号楼201A室", "共和新路100弄3号楼***A室"),
        ("共和新路100弄3号201、202都漏水", "共和新路100弄3号***、***都漏水"),
        ("3号楼1201和1202室", "3号楼****和****室"),
        ("小区201、202室楼上漏水", "小区***、***室楼上漏水"),
        ("1201、1202、1203室", "****、****、****室"),
        # The flat masked, the house number and the distance beside it stay.
        ("江宁路500号，201室", "江宁路500号，***室"),
        ("3号楼201室，300米外", "3号楼***室，300米外"),
        ("201室、502号楼", "***室、502号楼"),
    ],
)
def test_every_flat_is_masked(address, masked):
    assert mask_flat(address) == masked


@pytest.mark.parametrize(
    "text",
    [
        "活动专线电话：(02)2345-9580#180、184",  # a phone's extensions
        "江宁路500号 100m",
        "江宁路500号，2026年起",
        "江宁路500号-502号",
    ],
)
def test_extensions_house_numbers_and_distances_stay(text):
    assert mask_flat(text) == text


@pytest.mark.parametrize(
    ("text", "name", "published"),
    [
        ("王建国路过小区门口看到积水", "王建国", "王**路过小区门口看到积水"),
        ("王建国街头被拦住", "王建国", "王**街头被拦住"),
        ("张江到站了", "张江", "张*到站了"),
        ("张江已到站。", "张江", "张*已到站。"),
        ("张江大学毕业", "张江", "张*大学毕业"),
        ("张江地铁上手机被偷", "张江", "张*地铁上手机被偷"),
        ("张江医院检查后回电", "张江", "张*医院检查后回电"),
        ("建设中午来电", "王建设", "建*中午来电"),
        ("建国说他要来", "王建国", "建*说他要来"),
        ("建国后来又打了电话", "王建国", "建*后来又打了电话"),
        ("我是王建国，建国以来第一次打12345", "王建国", "我是王**，建国以来第一次打12345"),
    ],
)
def test_the_caller_is_masked(text, name, published):
    assert mask_name(text, name) == published


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("张江高科站附近积水", "张江"),
        ("张江高科地铁站2号口", "张江"),
        ("张江医院门口", "张江"),
        ("张江大厦停车场", "张江"),
        ("张江中学门口", "张江"),
        ("张江地铁口", "张江"),
        ("建国路过街天桥下", "王建国"),  # 建国路 and its 过街天桥: the road's
        ("建国路100号", "王建国"),
        ("建国以来第一次遇到", "王建国"),
        ("国庆节期间噪音扰民", "刘国庆"),
        ("请文明养犬", "李文明"),
        ("建设工地夜间施工", "王建设"),
    ],
)
def test_places_and_fixed_phrases_stay(text, name):
    assert mask_name(text, name) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("回电一三九一二三四五六七八", "回电*******五六七八"),
        ("电话①③⑨①②③④⑤⑥⑦⑧", "电话*******⑤⑥⑦⑧"),
        ("一 三 九 一 二 三 四 五 六 七 八", "* * * * * * * 五 六 七 八"),
    ],
)
def test_the_logs_mask_numbers_in_numerals(text, masked):
    assert mask_text(text) == masked
    assert mask_personal(text) == masked


def test_a_notice_log_line_holds_no_whole_mobile():
    record = logging.LogRecord(
        "hotline.orders.notify",
        logging.INFO,
        __file__,
        1,
        "notice sent: %s",
        ("20261207-000123 回电一三九一二三四五六七八",),
        None,
    )
    MaskPhonesFilter().filter(record)
    assert record.getMessage() == "notice sent: 20261207-000123 回电*******五六七八"


@pytest.mark.parametrize(
    "text",
    [
        # Real schedules (the shared data's KB articles): a weekday's numeral beside times.
        "活动10/30(五)15:00-17:00、10/31(六)9:00-10:30、11/1(日)15:00",
        "时间：12/17(六)14:00-14:20 地点：香堤广场",
        # Small numbers of a schedule or a list of bus routes read as no old or new ID number.
        "禁止车辆进入： (1) 1/19 00:00- 1/22 24:00 (2) 1/23 11:00-2/6 24:00",
        "公交28、32、53、63、203、204、205、232路",
        "2026 2027 2028 2029",
        "预算12,345,678,901元",
        "三楼 2室1厅",
    ],
)
def test_schedules_years_and_budgets_stay(text):
    assert mask_text(text) == text
    assert public_text(text, "王建国") == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("310101 19900101 1234", "310101 ******** 1234"),
        ("3101 0119 9001 0112 34", "3101 01** **** **12 34"),
        ("31 01 01 19 90 01 01 12 34", "31 01 01 ** ** ** ** 12 34"),
        ("3 1 0 1 0 1 1 9 9 0 0 1 0 1 1 2 3 4", "3 1 0 1 0 1 * * * * * * * * 1 2 3 4"),
        ("旧证 310101 900101 123", "旧证 310101 ****** 123"),
    ],
)
def test_an_id_number_in_parts_is_still_masked(text, masked):
    assert mask_text(text) == masked
    assert mask_personal(text) == masked


def test_open311_publishes_wang_jianguos_report_masked(district):
    response = post(
        Client(),
        key_of(district.olga),
        first_name="建国",
        last_name="王",
        address_string="共和新路100弄3号，201",
        description="王建国路过3号201、202门口，建国以来第一次见这么大的积水。"
        "回电一三九一二三四五六七八",
    )
    assert response.status_code == 200, response.content
    for record in published(response.json()[0]["service_request_id"]):
        assert record["address"] == "共和新路100弄3号，***"
        assert record["description"] == (
            "王**路过3号***、***门口，建国以来第一次见这么大的积水。回电*******五六七八"
        )
