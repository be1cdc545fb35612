"""A slot's capacity is capped at what the hall could serve in it (h8 F5, session 28: 999 a slot
was accepted): Hugo, the 大宁路 hall manager, opens next week's 30-minute 居住证 slots. Three
windows serve 居住证 and a window sees one booking in five minutes at the quickest, so a slot
holds at most 3 × 6 = 18; 老年综合津贴 has two windows, at most 12."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from hotline.hall.models import AppointmentSlot
from hotline.org.models import User
from tests.conftest import at

pytestmark = pytest.mark.django_db

NEXT_WEEK = "2023-03-13"


@pytest.fixture(autouse=True)
def _thursday():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


def _add(client, matter, capacity: int):
    data = {
        "matter": matter.pk,
        "first_day": "2023-03-13",
        "last_day": "2023-03-13",
        "starts": "09:00",
        "ends": "09:30",
        "minutes": "30",
        "capacity": str(capacity),
    }
    return client.post(
        f"/hall/dnl/manage/slots/add?week={NEXT_WEEK}", data, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_999_is_refused_saying_what_the_windows_could_serve(client, town):
    client.force_login(town.hugo)
    refused = _add(client, town.residence, 999)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "A 30-minute slot holds at most 18 appointments here" in text
    assert "3, each seeing one booking in 5 minutes" in text
    assert not AppointmentSlot.objects.exists()


def test_up_to_the_cap_is_opened_and_the_allowance_has_two_windows(client, town):
    client.force_login(town.hugo)
    assert _add(client, town.residence, 18).status_code == 302
    assert _add(client, town.allowance, 13).status_code == 422
    assert _add(client, town.allowance, 12).status_code == 302
    assert sorted(s.capacity for s in AppointmentSlot.objects.all()) == [12, 18]


def test_a_capacity_changed_later_is_capped_too(client, town):
    client.force_login(town.hugo)
    _add(client, town.residence, 4)
    slot = AppointmentSlot.objects.get()
    url = f"/hall/dnl/manage/slots/{slot.pk}/capacity?week={NEXT_WEEK}"
    client.post(url, {"capacity": "999"}, HTTP_ACCEPT_LANGUAGE="en")
    slot.refresh_from_db()
    assert slot.capacity == 4
    client.post(url, {"capacity": "18"}, HTTP_ACCEPT_LANGUAGE="en")
    slot.refresh_from_db()
    assert slot.capacity == 18


def test_ada_is_refused_on_the_admins_form_too(client, town):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    data = {
        "hall": town.hall.pk,
        "matter": town.residence.pk,
        "day": "2023-03-13",
        "starts": "09:00",
        "ends": "09:30",
        "capacity": "999",
    }
    response = client.post(reverse("admin:hall_appointmentslot_add"), data)
    assert response.status_code == 200  # the form again, not a server error
    assert "capacity" in response.context["adminform"].form.errors
    assert not AppointmentSlot.objects.exists()
    assert client.post(reverse("admin:hall_appointmentslot_add"), data | {"capacity": "18"})
    slot = AppointmentSlot.objects.get()
    change = reverse("admin:hall_appointmentslot_change", args=[slot.pk])
    again = client.post(change, data | {"capacity": "999"})
    assert again.status_code == 200
    slot.refresh_from_db()
    assert slot.capacity == 18
