"""A hall manager's landing page names where its link goes: hall:my_desk takes a manager to the
live board (实时看板), so "打开窗口工作台" promised a window she was not taken to (h5's report,
session 29; the top bar's same confusion was F11 of session 28)."""

from __future__ import annotations


def test_hugo_the_manager_is_offered_the_live_board_and_wendy_the_clerk_her_window_desk(
    client, town
):
    client.force_login(town.hugo)
    page = client.get("/").content.decode()
    assert "打开实时看板" in page and "打开窗口工作台" not in page
    assert client.get("/hall/").url == "/hall/dnl/manage/"

    client.force_login(town.wendy)
    page = client.get("/").content.decode()
    assert "打开窗口工作台" in page and "打开实时看板" not in page
