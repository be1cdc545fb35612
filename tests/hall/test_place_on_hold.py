"""My place while the ticket is on hold.

Walt set 张三's ticket aside at window 2 (a copy of her ID card to fetch). Her phone read only
"挂起" — not where to go back nor that she will be called. It says both now."""

from __future__ import annotations

import pytest

from hotline.hall import actions

pytestmark = pytest.mark.django_db


def test_my_place_on_hold_says_which_window_to_come_back_to(client, town):
    ticket = actions.issue(town.hall, town.residence, holder_name="张三")
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    actions.start(ticket, town.walt)
    actions.hold(ticket, town.walt, reason="缺身份证复印件")
    page = client.get(f"/hall/place/{ticket.token}/").content.decode()
    assert 'data-state="held"' in page and 'data-testid="place-held"' in page
    assert "请回到2号窗口" in page
    actions.call_back(ticket, town.walt)
    page = client.get(f"/hall/place/{ticket.token}/").content.decode()
    assert 'data-state="called"' in page and "请立即到2号窗口" in page
