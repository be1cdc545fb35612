"""A rating link that no longer works, opened at a hall's self-service kiosk, leads back to the
kiosk: its "Back to the start" led to the portal's home page, which is no kiosk's (no way back to
it, no return when left alone) on a device with no address bar (walk-through, session 27, h7)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from hotline.hall.models import Kiosk

pytestmark = pytest.mark.django_db


def test_a_dead_rating_link_at_the_kiosk_leads_back_to_the_kiosk(town):
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    kiosk.matters.set([town.residence])
    home = f"/hall/{town.hall.code}/self-service/{kiosk.code}/"
    client = Client()
    page = client.get(home).content.decode()
    track = html.unescape(re.search(r'href="([^"]*)" data-choice="track"', page).group(1))
    mark = track.split("?", 1)[1]

    answer = client.get(f"/portal/rate/no-longer-valid/?{mark}")

    assert answer.status_code == 410
    back = re.search(r'href="([^"]*)" data-testid="problem-home"', answer.content.decode())
    assert back and html.unescape(back.group(1)) == home


def test_a_dead_rating_link_elsewhere_leads_to_the_portal(town):
    answer = Client().get("/portal/rate/no-longer-valid/")

    back = re.search(r'href="([^"]*)" data-testid="problem-home"', answer.content.decode())
    assert back and back.group(1) == "/portal/"
