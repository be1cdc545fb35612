"""Ada sets the hall's alert thresholds in the admin. 0 waiting tickets per open window or a 0 %
(or 500 %) no-show and abandon rate reads like "no alert", but was saved and alerted Hugo (and his
phone) as soon as one person waited, or never. Both are refused on their field, nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.hall.models import Hall
from hotline.org.models import User


@pytest.fixture
def ada_in_admin(client, db):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


def _save(client, town, **fields):
    url = reverse("admin:hall_hall_change", args=[town.hall.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"unit": town.hall.unit_id} | fields
    return client.post(url, data)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"saturation_per_window": "0"}, "saturation_per_window"),
        ({"abandon_rate_percent": "0"}, "abandon_rate_percent"),
        ({"abandon_rate_percent": "500"}, "abandon_rate_percent"),
    ],
)
def test_a_threshold_that_alerts_always_or_never_is_refused(ada_in_admin, town, fields, field):
    response = _save(ada_in_admin, town, **fields)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    hall = Hall.objects.get(pk=town.hall.pk)
    assert (hall.saturation_per_window, hall.abandon_rate_percent) == (6, 15)


def test_sensible_thresholds_are_saved(ada_in_admin, town):
    response = _save(ada_in_admin, town, saturation_per_window="4", abandon_rate_percent="20")
    assert response.status_code == 302
    assert Hall.objects.get(pk=town.hall.pk).saturation_per_window == 4
