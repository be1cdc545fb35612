"""The manager's live board names its tables' columns: the windows table had no header row
(five bare columns: which was the clerk, which the ticket?), and the kiosks table headed its
first column "kiosk" in lower case in English."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def heads(page: str, section: str) -> list[str]:
    part = page[page.index(section) :]
    table = part[part.index("<table") : part.index("</table>")]
    head = re.search(r"<thead>(.*?)</thead>", table, re.S)
    assert head is not None, "no header row"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<th>(.*?)</th>", head.group(1))
    ]


def test_the_windows_table_has_a_header_row(client, town):
    client.force_login(town.hugo)
    page = client.get(f"/hall/{town.hall.code}/manage/", **EN).content.decode()
    assert heads(page, "<h2>Windows</h2>") == [
        "Window", "Current ticket", "State", "Clerk at the window", "Window kind",
    ]  # fmt: skip
    zh = client.get(f"/hall/{town.hall.code}/manage/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert heads(zh.content.decode(), "<h2>窗口</h2>")[1] == "当前号票"


def test_the_kiosks_table_heads_its_first_column_with_a_capital(client, town):
    from hotline.hall.models import Kiosk

    Kiosk.objects.create(hall=town.hall, code="k1", name="1号自助机", place="大厅东侧")
    client.force_login(town.hugo)
    page = client.get(f"/hall/{town.hall.code}/manage/", **EN).content.decode()
    assert heads(page, 'data-testid="kiosks"')[0] == "Self-service kiosk"
