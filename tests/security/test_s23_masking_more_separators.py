"""Public text: phone numbers written with the separators a Chinese input method types (full-width
comma, 顿号, slash, underscore), in circled or other non-decimal digits, and e-mail addresses
with a full-width ＠ are masked too (attack report, session 23, F3: Open311 published
``139，1234，5678``, ``①③⑨①②③④⑤⑥⑦⑧`` and ``wang.wu＠qq.com`` to anyone). Ordinary numbers
written with the same separators (dates, amounts, lists) stay as written."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal


@pytest.mark.parametrize(
    "text",
    [
        "2026/12/06",
        "2026/12/06 13:45 来电",
        "2026／12／06",
        "2026_12_06 的照片",
        "金额 1，000 元",
        "金额 1,000 元，另付 2，500 元",
        "损失约 13，500，000，000 元",  # 11 digits in thousands: an amount, not a mobile
        "13,500,000,000",
        "1、2、3",
        "第1、2、3项已整改",
        "1、3、5、7、9号楼",
        "第13、14、15、16号楼",
        "1/2/3 楼",
        "①路灯 ②井盖 ③绿化",
        "整改三项：①②③",
        "面积 120m²，高 3.5m",
        "wang.wu 在 qq 群里说",
        "工单 20261206-000123，20261206-000124",
        "139，1234，567",  # ten digits: no number
    ],
)
def test_ordinary_numbers_with_these_separators_stay(text):
    assert mask_personal(text) == text


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("139，1234，5678", "***，****，5678"),
        ("请回电139，1234，5678", "请回电***，****，5678"),
        ("139,1234,5678", "***,****,5678"),
        ("139、1234、5678", "***、****、5678"),
        ("139/1234/5678", "***/****/5678"),
        ("139／1234／5678", "***／****／5678"),
        ("139_1234_5678", "***_****_5678"),
        ("139＿1234＿5678", "***＿****＿5678"),
        ("139，1234 5678", "***，**** 5678"),
        ("一三九、一二三四、五六七八", "***、****、五六七八"),
        ("①③⑨①②③④⑤⑥⑦⑧", "*******⑤⑥⑦⑧"),
        ("电话①③⑨-①②③④-⑤⑥⑦⑧", "电话***-****-⑤⑥⑦⑧"),
        ("❶❸❾❶❷❸❹❺❻❼❽", "*******❺❻❼❽"),
        ("身份证 310101，19900101，123X", "身份证 310101，********，123X"),
        ("邮箱 wang.wu＠qq.com", "邮箱 w***＠qq.com"),
        ("邮箱 wang.wu＠qq．com", "邮箱 w***＠qq．com"),
    ],
)
def test_numbers_so_written_are_masked(typed, published):
    assert mask_personal(typed) == published


def test_the_reports_request_is_published_masked():
    description = (
        "路灯坏了，请回电139，1234，5678 或 139/1234/5678 或 一三九、一二三四、五六七八，"
        "邮箱 wang.wu＠qq.com"
    )
    assert mask_personal(description) == (
        "路灯坏了，请回电***，****，5678 或 ***/****/5678 或 ***、****、五六七八，邮箱 w***＠qq.com"
    )
    assert mask_personal("共和新路100号 联系人电话 139，8765，4321") == (
        "共和新路100号 联系人电话 ***，****，4321"
    )
