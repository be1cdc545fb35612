"""Public text: the parts of a mobile or an ID number may be split by any punctuation mark or
symbol, not only those listed (h4's finding 2, session 25: Open311 published
"139\u22121234\u22125678" and "139\u20111234\u20115678" whole, the dashes a word processor or a
web page types, and "139    1234    5678", " -- ", 。 …). Dates, amounts, order numbers and lists
stay as written."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.orders.models import WorkOrder
from hotline.security.masking import mask_personal
from tests.open311.test_georeport import post
from tests.open311.test_partners_and_publication import key_of
from tests.open311.test_published_address import published


@pytest.mark.parametrize(
    "dash",
    [
        "\u2010",  # HYPHEN
        "\u2011",  # NON-BREAKING HYPHEN
        "\u2012",  # FIGURE DASH
        "\u2212",  # MINUS SIGN
        "\ufe63",  # SMALL HYPHEN-MINUS
        "\u30fc",  # ー, a Japanese input method's dash
        "丨",  # a Chinese input method's bar
        "。",
        "！",
        "？",
        "…",
        "’",
        "「",
        "《",
        "〔",
        "<",
        "{",
        "&",
        "^",
        "°",
        "→",
        " -- ",
        "－－－－",
        "    ",
        "\u3000\u3000\u3000\u3000",
        "\n",
        "\r\n",
        " \n ",
    ],
)
def test_a_mobile_split_by_any_mark_is_masked(dash):
    typed = f"请回电139{dash}1234{dash}5678。"
    assert mask_personal(typed) == f"请回电***{dash}****{dash}5678。"


@pytest.mark.parametrize("dash", ["\u2212", "\u2011", "\u2010", "\ufe63", "。"])
def test_an_id_number_split_by_any_mark_is_masked(dash):
    typed = f"身份证310101{dash}19900101{dash}1234"
    assert mask_personal(typed) == f"身份证310101{dash}********{dash}1234"


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-06 13:45:30",
        "2026\u221212\u221206",
        "工单 20261207-000001 — 20261207-000002",
        "20261207-000001\n20261207-000002\n20261207-000003",
        "2026、2027、2028 年",
        "1949—2019",
        "费用 ¥139，¥1234，¥5678",  # amounts: a currency sign is no gap
        "139%、1234%、5678%",
        "1、2、3、4、5、6、7、8、9、10、11",
        "〔2026〕139号",
        "合同 No.15-2026-1201-3",
        "2026\n12\n06",
        "139\n\n1234\n\n5678",  # paragraphs apart: not one number
        "139 和 1234 5678",  # a word between: not one number
        "共139户 —— 1234人 —— 5678元",
    ],
)
def test_dates_amounts_order_numbers_and_lists_stay(text):
    assert mask_personal(text) == text


def test_open311_publishes_no_mobile_written_with_a_word_processors_dashes(district):
    response = post(
        Client(),
        key_of(district.olga),
        description="路灯坏了，请回电139\u22121234\u22125678或139\u20111234\u20115678，"
        "家里电话139    1234    5678。",
    )
    assert response.status_code == 200, response.content
    number = response.json()[0]["service_request_id"]
    assert WorkOrder.objects.filter(number=number).exists()
    for record in published(number):
        assert record["description"] == (
            "路灯坏了，请回电***\u2212****\u22125678或***\u2011****\u20115678，"
            "家里电话***    ****    5678。"
        )
