"""The hall and window admin offer only the units that fit (walk-through, session 24, h5 L1):
a hall's service centre was chosen among every unit of the tree (居委会, sections, bureaus), a
remote window's 居委会 too, the wrong ones refused only on save."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.org.models import Unit, UnitKind
from tests.hall.conftest import make_hall


def _choices(html: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    return {v for v in re.findall(r'<option value="([^"]*)"', select.group(0)) if v}


def test_a_halls_service_centre_is_chosen_among_service_centres(district, admin_client):
    place = make_hall(district)
    other = Unit.objects.create(
        code="jnl-zx2",
        name="江宁路第二服务中心",
        kind=UnitKind.SERVICE_CENTRE,
        parent=district.street,
    )
    html = admin_client.get(reverse("admin:hall_hall_add")).content.decode()
    assert _choices(html, "unit") == {str(place.hall.unit_id), str(other.pk)}
    changed = reverse("admin:hall_hall_change", args=[place.hall.pk])
    assert str(place.hall.unit_id) in _choices(admin_client.get(changed).content.decode(), "unit")


def test_a_remote_windows_place_is_chosen_among_neighbourhood_committees(district, admin_client):
    make_hall(district)
    html = admin_client.get(reverse("admin:hall_window_add")).content.decode()
    assert _choices(html, "place") == {str(district.neighbourhood.pk)}
