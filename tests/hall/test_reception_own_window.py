"""Wendy is signed in at window 1 (居住证, 老年综合津贴) and steps over to the reception desk to
give a visitor a ticket. If window 1 then calls it, the slip she printed is no key to rate the visit
(she would rate herself, f5fd132) and the citizen finds out at home: the desk tells her before she
prints. Hugo, the manager, holds no window and is told nothing."""

from __future__ import annotations

import pytest

from hotline.hall import actions as hall_actions

pytestmark = pytest.mark.django_db

NOTE = 'data-testid="own-window-note"'


def _reception(client, town) -> str:
    return client.get(f"/hall/{town.hall.code}/reception/").content.decode()


def test_a_clerk_signed_in_at_a_window_is_told_before_she_prints(client, town):
    hall_actions.sign_in(town.w1, town.wendy)
    client.force_login(town.wendy)

    page = _reception(client, town)

    assert NOTE in page
    assert "您已在 1 号窗口签到（居住证办理、老年综合津贴申请）" in page
    assert "窗口的评价器" in page


def test_no_note_for_staff_without_a_window(client, town):
    client.force_login(town.hugo)
    assert NOTE not in _reception(client, town)
    client.force_login(town.walt)  # a clerk, not signed in at any window today
    assert NOTE not in _reception(client, town)
