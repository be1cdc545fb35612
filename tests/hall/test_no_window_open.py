"""Before the clerks sign in (or with every window on a break) no one serves a matter: the board,
the manager's page and the open data say so instead of showing the estimate's fallback range,
which assumes one window opening now (the board read "about 0–10 min" with every window closed)."""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline import clock
from hotline.hall import actions, board, kpis
from hotline.hall.models import TicketEvent, WindowState
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _estimates(page: str) -> dict[str, str]:
    """matter code → the text of its row's estimate cell on the manager's page."""
    rows = re.findall(r'<tr data-queue="(\w+)">(.*?)</tr>', page)
    return {code: re.findall(r"<td>(.*?)</td>", row)[-1] for code, row in rows}


def _queues(town) -> dict[str, board.Queue]:
    now = clock.now()
    return {q.matter.code: q for q in board.queues(town.hall, board.today(now), now)}


def test_a_matter_no_open_window_serves_shows_no_window_open(client, town):
    actions.issue(town.hall, town.residence)
    queues = _queues(town)
    assert (queues["jzz"].windows_open, queues["lnjt"].windows_open) == (0, 0)
    assert queues["jzz"].waiting == 1
    client.force_login(town.hugo)
    page = client.get("/hall/dnl/manage/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _estimates(page) == {
        "jzz": "<span data-no-window>暂无窗口开放</span>",
        "lnjt": "<span data-no-window>暂无窗口开放</span>",
    }
    live = client.get("/hall/dnl/board/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert live.content.decode().count("no window open") == 2

    # Window 2 (居住证 only) opens: 居住证 gets its range, 老年综合津贴 still has no window.
    actions.sign_in(town.w2, town.walt)
    queues = _queues(town)
    assert (queues["jzz"].windows_open, queues["lnjt"].windows_open) == (1, 0)
    cells = _estimates(client.get("/hall/dnl/manage/").content.decode())
    assert re.fullmatch(r"约\d+–\d+分钟|不到1分钟", cells["jzz"])
    assert "data-no-window" in cells["lnjt"]
    data = client.get("/api/v1/open/halls/dnl/queue").json()
    assert {q["matter"]: q["windows_open"] for q in data["queues"]} == {"jzz": 1, "lnjt": 0}

    # A window on a break does not serve either.
    actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")
    cells = _estimates(client.get("/hall/dnl/manage/").content.decode())
    assert "data-no-window" in cells["jzz"]


def test_the_ticket_and_my_place_say_when_no_window_serves_the_matter(client, town):
    ticket = actions.issue(town.hall, town.allowance)
    note = "暂无窗口办理该事项，等候时间自窗口开放起算。"

    def pages() -> list[str]:
        zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
        return [
            client.get(f"/hall/ticket/{ticket.token}/", **zh).content.decode(),
            client.get(f"/hall/place/{ticket.token}/", **zh).content.decode(),
            client.get(
                f"/hall/place/{ticket.token}/", HTTP_HX_REQUEST="true", **zh
            ).content.decode(),
        ]

    assert all(note in page for page in pages())
    # Window 2 serves only 居住证: an open window for another matter does not serve this one.
    actions.sign_in(town.w2, town.walt)
    assert all(note in page for page in pages())
    actions.sign_in(town.w1, town.wendy)  # serves 老年综合津贴 first
    assert not any(note in page for page in pages())


def test_a_ticket_issued_with_no_window_open_records_no_range_nor_counts_in_the_error(client, town):
    # 08:55, before Walt signs in: A001's printed ticket says the wait counts from when a window
    # opens and shows no range, so none is stored and the estimate's error leaves it out (its
    # wait to the first call measures the clerks' arrival, not the estimate).
    with time_machine.travel(at("2023-03-09 08:55"), tick=False):
        early = actions.issue(town.hall, town.residence, check_hours=False)
    assert (early.estimate_low, early.estimate_high) == (None, None)
    issued = TicketEvent.objects.get(ticket=early, action="issue")
    assert issued.payload["estimate"] is None and issued.payload["no_window_open"] is True
    page = client.get(f"/hall/ticket/{early.token}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "预计等候" not in page.content.decode()
    assert "等候时间自窗口开放起算" in page.content.decode()

    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
        shown = actions.issue(town.hall, town.residence)
    assert shown.estimate_high is not None
    assert TicketEvent.objects.get(ticket=shown, action="issue").payload.get("no_window_open") in (
        None,
        False,
    )
    for minute, ticket in (("09:40", early), ("09:50", shown)):
        with time_machine.travel(at(f"2023-03-09 {minute}"), tick=False):
            assert actions.call_next(town.w2, town.walt).pk == ticket.pk
            actions.start(ticket, town.walt)
            actions.finish(ticket, town.walt)

    day = early.day
    figures = kpis.report(town.hall, day, day)["dnl"]
    assert figures.issued == 2
    middle = (shown.estimate_low + shown.estimate_high) / 2
    assert figures.mean_first_wait == 50  # the shown ticket's wait only
    assert figures.estimate_mae == pytest.approx(abs(50 - middle))
    facts = {f.ticket: f for f in kpis.ticket_facts(town.hall, day, day)}
    assert facts[early.pk].estimate is None and facts[early.pk].first_wait == 45
