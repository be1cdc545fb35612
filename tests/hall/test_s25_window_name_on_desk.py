"""Hugo, the hall's manager, named window 2 "医保窗口" in the admin; the clerk's desk (its window
list and, once signed in, its heading) and the manager's window table said only "2号窗口 ·
专业窗口" (its kind): the name was shown nowhere (walk-through, session 24, L3)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from hotline.hall import actions

pytestmark = pytest.mark.django_db


def test_the_desk_and_the_managers_table_name_the_window(town):
    town.w2.name = "医保窗口"
    town.w2.save(update_fields=["name"])
    walt = Client()
    walt.force_login(town.walt)
    with translation.override("zh-hans"):
        choose = walt.get(f"/hall/{town.hall.code}/desk/").content.decode()
        assert "2号窗口 · 医保窗口" in choose
        assert "1号窗口 · 综合窗口" in choose  # no name: its kind, as before
        actions.sign_in(town.w2, town.walt)
        desk = walt.get(f"/hall/{town.hall.code}/desk/").content.decode()
        assert '<span data-testid="window-label">医保窗口</span>' in desk
        hugo = Client()
        hugo.force_login(town.hugo)
        manage = hugo.get(f"/hall/{town.hall.code}/manage/").content.decode()
    assert "<td>2 · 医保窗口</td>" in manage
