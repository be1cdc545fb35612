"""Ada sets up a hall's windows in the admin, tired: the remote point's list offers every unit of
the district, and a remote window without its 居委会, a counter in the hall given a remote point,
or a bureau as the point were all saved."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.hall.models import Window, WindowKind
from hotline.org.models import User


@pytest.fixture
def ada(client: Client, db) -> Client:
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


def _add(client: Client, town, kind: str, place) -> object:
    return client.post(
        "/admin/hall/window/add/",
        {
            "hall": town.hall.pk,
            "number": 9,
            "name": "",
            "kind": kind,
            "place": place.pk if place else "",
            "served-TOTAL_FORMS": "0",
            "served-INITIAL_FORMS": "0",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


@pytest.mark.parametrize(
    ("kind", "place", "said"),
    [
        (WindowKind.REMOTE, None, "远程窗口须填写所在的居委会"),
        (WindowKind.COMPREHENSIVE, "neighbourhood", "只有远程窗口才设远程点位"),
        # Not offered since the list holds 居委会 only (h5, session 24, L1): a forged choice is
        # refused by the form (Window.clean still says 远程点位须为居委会 to other callers).
        (WindowKind.REMOTE, "bureau", "选择一个有效的选项"),
    ],
)
def test_a_window_with_a_wrong_remote_point_is_refused(ada, town, district, kind, place, said):
    response = _add(ada, town, kind, getattr(district, place) if place else None)
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not Window.objects.filter(number=9).exists()


def test_a_remote_window_at_its_neighbourhood_committee_is_added(ada, town, district):
    assert _add(ada, town, WindowKind.REMOTE, district.neighbourhood).status_code == 302
    assert Window.objects.get(number=9).place == district.neighbourhood


@pytest.mark.parametrize("hall", ["²", "9" * 40])
def test_the_add_page_opened_for_a_hall_that_is_no_row_id_is_the_plain_form(ada, town, hall):
    """``?hall=²`` (str.isdigit() says yes, int() says no) was a 500 (attack, session 30)."""
    assert ada.get(f"/admin/hall/window/add/?hall={hall}").status_code == 200
