"""Two wordings of the case pages (walk-through, session 25): the 办理过程 table had no header
row (L4), and the bundle message nested quotes around a bundle name that has its own
(已按“社会团体登记“三联办”（…）”办理, L3)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext as _

from tests.cases.conftest import serve
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db


def _headers(page: str) -> list[str]:
    table = re.search(r'data-testid="timeline".*?</thead>', page, re.S)
    assert table is not None, "the timeline has no header row"
    return re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", table.group(0))


def test_the_timeline_has_a_header_row(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    with time_machine.travel(at("2025-03-04 10:05"), tick=False):
        wendy = logged_in(ct.town.wendy)
        zh = wendy.get(f"/cases/{case.number}/").content.decode()
        en = wendy.get(f"/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _headers(zh) == ["时间", "办件编号", "步骤", "经办人", "号票 · 备注"]
    assert _headers(en) == ["Time", "Case number", "Step", "By", "Ticket · note"]


def test_the_bundle_message_does_not_nest_quotes():
    name = "社会团体登记“三联办”（章程核准、变更登记、有效期延续）"
    with translation.override("zh-hans"):
        said = _("Served as %(bundle)s: %(n)d linked cases, one checklist.") % {
            "bundle": name,
            "n": 3,
        }
    assert name in said
    assert said.count("“") == 1 and said.count("”") == 1  # the bundle's own quotes only
