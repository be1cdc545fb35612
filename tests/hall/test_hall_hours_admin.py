"""Ada sets a hall's hours in the admin: a hall that closes before it opens (17:00–09:00, read
on one day as hall_open reads them, would give no ticket all day) is refused on the form and
nothing is saved. Before, the admin saved it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hotline.hall.models import Hall
from hotline.org.models import User


@pytest.fixture
def ada_in_admin(client, db):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


def test_a_hall_that_closes_before_it_opens_is_refused(ada_in_admin, town):
    url = reverse("admin:hall_hall_change", args=[town.hall.pk])
    form = ada_in_admin.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"unit": town.hall.unit_id, "opens_at": "17:00", "closes_at": "09:00"}
    response = ada_in_admin.post(url, data)
    assert response.status_code == 200
    assert "closes_at" in response.context["adminform"].form.errors
    assert Hall.objects.get(pk=town.hall.pk).closes_at == dt.time(17)
