"""With a free window and nobody ahead the estimate is 0–0 minutes: the ticket, "my place" and the
board read "预计等候0–0分钟" / "约0–0分钟", which looks broken. They say "under a minute"."""

from __future__ import annotations

import pytest

from hotline.hall import actions

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_a_wait_of_zero_minutes_reads_under_a_minute(client, town):
    actions.sign_in(town.w2, town.walt)
    # The board's range is a newcomer's: window 2 is free and nobody waits.
    board = client.get("/hall/dnl/board/", HTTP_HX_REQUEST="true", **ZH).content.decode()
    ticket = actions.issue(town.hall, town.residence)
    assert (ticket.estimate_low, ticket.estimate_high) == (0, 0)
    pages = [
        client.get(f"/hall/ticket/{ticket.token}/", **ZH).content.decode(),
        client.get(f"/hall/place/{ticket.token}/", **ZH).content.decode(),
        board,
    ]
    for page in pages:
        assert "0–0" not in page
    assert "预计等候不到1分钟" in pages[0] and "预计等候不到1分钟" in pages[1]
    assert "不到1分钟" in pages[2]
    english = client.get(f"/hall/place/{ticket.token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Estimated wait under a minute" in english.content.decode()


def test_the_managers_board_reads_under_a_minute_and_minutes(client, town):
    """Hugo's live board read '0–0' for window 2's free 居住证 queue, and a range such as
    '81–253' with no unit at all; it reads as the hall board does."""
    actions.sign_in(town.w2, town.walt)
    client.force_login(town.hugo)
    page = client.get("/hall/dnl/manage/", HTTP_HX_REQUEST="true", **ZH).content.decode()
    row = page.split('data-queue="jzz"', 1)[1].split("</tr>", 1)[0]
    assert "0–0" not in row
    assert "不到1分钟" in row
    for _ in range(3):
        actions.issue(town.hall, town.residence)
    page = client.get("/hall/dnl/manage/", HTTP_HX_REQUEST="true", **ZH).content.decode()
    row = page.split('data-queue="jzz"', 1)[1].split("</tr>", 1)[0]
    assert "约" in row and "分钟" in row
