"""Ada sets up 大宁路's remote window in the admin (leftover of session 24, h5 L1): the remote
point's list held every 居委会 of the district (59 in the demo), and a 居委会 of another street was
saved as the point of this street's centre. Once the hall is known the list holds the 居委会 of
the area its centre serves, and Window.clean refuses another's; the district's own centre (under
the district government) may have its remote windows at any 居委会."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from hotline.hall.models import Hall, Window, WindowKind
from hotline.org.models import Unit, UnitKind, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


@pytest.fixture
def elsewhere(district) -> Unit:
    """宝山新村居委会, under 宝山路街道: another street's."""
    street = Unit.objects.create(code="bsl", name="宝山路街道", kind=UnitKind.STREET)
    return Unit.objects.create(
        code="bsl-01", name="宝山新村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=street
    )


def _points(html: str) -> set[str]:
    select = re.search(r'<select name="place".*?</select>', html, re.S)
    assert select
    return {v for v in re.findall(r'<option value="([^"]*)"', select.group(0)) if v}


def _add(client: Client, hall: Hall, place: Unit) -> object:
    return client.post(
        "/admin/hall/window/add/",
        {
            "hall": hall.pk,
            "number": 9,
            "name": "",
            "kind": WindowKind.REMOTE,
            "place": place.pk,
            "served-TOTAL_FORMS": "0",
            "served-INITIAL_FORMS": "0",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_the_halls_window_is_offered_its_own_streets_neighbourhood_committees(
    ada, town, district, elsewhere
):
    own = {str(district.neighbourhood.pk)}
    changed = ada.get(f"/admin/hall/window/{town.w1.pk}/change/").content.decode()
    assert _points(changed) == own
    added = ada.get(f"/admin/hall/window/add/?hall={town.hall.pk}").content.decode()
    assert _points(added) == own
    # Before a hall is chosen, every 居委会, each with its street.
    anyhall = ada.get("/admin/hall/window/add/").content.decode()
    assert _points(anyhall) == own | {str(elsewhere.pk)}
    assert "宝山路街道 · 宝山新村居委会" in anyhall


def test_another_streets_neighbourhood_committee_is_refused(ada, town, district, elsewhere):
    assert _add(ada, town.hall, elsewhere).status_code == 200
    assert not Window.objects.filter(number=9).exists()
    window = Window(hall=town.hall, number=9, kind=WindowKind.REMOTE, place=elsewhere)
    with pytest.raises(ValidationError, match="大宁路街道社区事务受理服务中心"):
        window.full_clean()
    assert _add(ada, town.hall, district.neighbourhood).status_code == 302


def test_the_districts_centre_has_remote_windows_anywhere(ada, district, elsewhere):
    government = Unit.objects.create(
        code="jaqzf", name="静安区人民政府", kind=UnitKind.DISTRICT_GOVERNMENT
    )
    for street in Unit.objects.filter(kind=UnitKind.STREET):
        street.parent = government
        street.save()
    centre = Unit.objects.create(
        code="jazwzx", name="静安区政务服务中心", kind=UnitKind.SERVICE_CENTRE, parent=government
    )
    hall = Hall.objects.create(unit=centre, code="jazw")
    added = ada.get(f"/admin/hall/window/add/?hall={hall.pk}").content.decode()
    assert _points(added) == {str(district.neighbourhood.pk), str(elsewhere.pk)}
    assert _add(ada, hall, elsewhere).status_code == 302
