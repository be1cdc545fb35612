"""The README and the hall admin's warning say what a hall manager works since 3af40d7 (review
r1 L1): the unit inbox and the orders page are a hall manager's too (the orders its centre
holds), and a 办不成事 order is not the centre's (it waits on the dispatch desk and goes where
its matter belongs): the warning named it among the centre's orders."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from tests.hall.conftest import make_hall

README = Path(__file__).resolve().parents[2] / "README.md"


def _row(path: str) -> str:
    return next(line for line in README.read_text().splitlines() if line.startswith(path))


def test_the_readme_names_the_hall_manager_on_the_unit_inbox_and_the_orders():
    assert "hall manager" in _row("| `/desk/unit/` |")
    assert "hall manager" in _row("| `/orders/` and `/orders/<number>/` |")
    assert "办不成事" not in _row("| `dnl-ck1`")


def test_the_admins_warning_does_not_give_the_centre_the_could_not_get_it_done_orders(
    district, admin_client
):
    place = make_hall(district)
    place.hugo.role_grants.all().delete()
    url = reverse("admin:hall_hall_change", args=[place.hall.pk])
    zh = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "没有人能办理" in zh and "差评整改" in zh and "办不成事" not in zh
    en = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nobody in" in en and "could not get it done" not in en
