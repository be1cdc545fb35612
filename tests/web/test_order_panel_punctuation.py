"""The order page's own punctuation is each language's: Dan's suggestion reads
建议：江宁路街道（诉求分类） in zh-Hans and "Suggested: 江宁路街道 (category)" in English,
and the co-units are listed 协办单位：区民政局、区房管局 / "Co-units: …, …". The page
hard-coded a full-width ： after "Suggested" in English, half-width brackets in zh-Hans, a
half-width colon after 协办单位 and the Chinese 、 between co-units in English."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.orders import actions
from hotline.org.models import Unit, UnitKind
from tests.orders.factory import new_order
from tests.web.test_order_pages import page


def _text(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</dd>', html, re.S)
    assert found, testid
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_the_order_page_punctuates_in_each_language(client, district):
    d = district
    order = new_order(d)
    url = reverse("order_detail", args=[order.number])
    zh = page(client, d.dan, url).content.decode()
    assert "建议：" in zh
    assert re.search(r'data-testid="suggestion"[^>]*>[^<(（]+（[^<()]+）</button>', zh), zh
    en = page(client, d.dan, url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Suggested units:" in en and "：" not in en.split("Suggested")[1][:20]
    assert re.search(r'data-testid="suggestion"[^>]*>[^<(（]+ \([^<（）]+\)</button>', en)

    other = Unit.objects.create(code="fgj", name="区房管局", kind=UnitKind.BUREAU)
    actions.dispatch(order, d.dan, lead_unit=d.street, co_units=[d.bureau, other])
    zh = _text(page(client, d.dan, url).content.decode(), "lead-unit")
    both = {d.bureau.name, other.name}
    assert set(zh.split("协办单位：")[1].strip().split("、")) == both, zh
    en = _text(page(client, d.dan, url, HTTP_ACCEPT_LANGUAGE="en").content.decode(), "lead-unit")
    assert set(en.split("Co-units: ")[1].strip().split(", ")) == both, en
