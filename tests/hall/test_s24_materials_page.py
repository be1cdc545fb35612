"""What to bring, for anyone: a hall's material lists on a page of their own, under the matter
chosen on the booking page, and on the booked page (walk-through, session 24, H2).

A 12345 operator booking for a caller, and the caller on a phone, could not read what to bring:
the list was only on the kiosk's pages, which answer the hall's own machines only once
``HALL_KIOSK_NETWORKS`` is set (403 for everyone else), and the caller came without the photo."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.9"  # a phone on the internet, outside the hall's networks


@pytest.fixture(autouse=True)
def hall_networks(settings):
    settings.HALL_KIOSK_NETWORKS = (ip_network("10.20.0.0/24"),)


def _materials(town) -> str:
    return reverse("hall:materials", args=[town.hall.code]) + f"?matter={town.residence.pk}"


def test_an_operator_and_a_phone_read_a_matters_materials(town, district):
    operator = Client(REMOTE_ADDR=STRANGER)
    operator.force_login(district.olga)
    phone = Client(REMOTE_ADDR=STRANGER)
    for browser in (operator, phone):
        response = browser.get(_materials(town))
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-testid="material-list"' in page and "居民身份证" in page


def test_the_kiosks_recorded_lookups_stay_the_hall_machines_own(town):
    phone = Client(REMOTE_ADDR=STRANGER)
    url = reverse("hall:kiosk_materials", args=[town.hall.code])
    assert phone.get(url).status_code == 403


def test_the_booking_page_shows_the_chosen_matters_list_and_links_the_lists(town, district):
    town.residence.appointment_allowed = True
    town.residence.save(update_fields=["appointment_allowed"])
    operator = Client(REMOTE_ADDR=STRANGER)
    operator.force_login(district.olga)
    url = reverse("hall:book", args=[town.hall.code]) + f"?matter={town.residence.pk}"
    page = operator.get(url).content.decode()
    assert 'data-testid="material-list"' in page and "居民身份证" in page
    assert reverse("hall:materials", args=[town.hall.code]) in page


def test_the_booked_page_says_what_to_bring(client, town, appointment):
    page = client.get(reverse("hall:booked", args=[town.hall.code, appointment.code]))
    assert page.status_code == 200
    assert "居民身份证" in page.content.decode()
