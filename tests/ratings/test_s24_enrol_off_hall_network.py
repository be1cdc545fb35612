"""Hugo enrols window 1's tablet while it is on another network than the halls' (a new hall's
Wi-Fi, not yet in ``HALL_KIOSK_NETWORKS``): the pad's cookie counts only from those networks, so
the tablet was sent to "this screen is not a rating pad: enrol it", the step just done, with no
reason given, and he enrolled it again (walk-through, session 24, M11). Now the enrolment is
refused saying why, and a tablet enrolled before that is now off the network says so, not "not
enrolled". The kiosks' enrolment is refused the same way."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from django.test import Client

from hotline.hall.models import Kiosk
from hotline.ratings.models import Pad
from tests.ratings.conftest import pad_browser

pytestmark = pytest.mark.django_db

ENROL_1 = "/ratings/hall/dnl/pads/1/enrol"
OUTSIDE = "203.0.113.5"
INSIDE = "10.20.0.7"


@pytest.fixture(autouse=True)
def hall_networks(settings):
    settings.HALL_KIOSK_NETWORKS = (ip_network("10.20.0.0/24"),)


def test_enrolling_a_pad_off_the_hall_network_is_refused_with_the_reason(town):
    tablet = Client(REMOTE_ADDR=OUTSIDE, HTTP_ACCEPT_LANGUAGE="en")
    tablet.force_login(town.hall.hugo)
    response = tablet.post(ENROL_1, follow=True)
    page = response.content.decode()
    assert "not among the hall networks" in page
    assert not Pad.objects.exclude(enrolment_token="").exists()
    inside = Client(REMOTE_ADDR=INSIDE)
    inside.force_login(town.hall.hugo)
    assert inside.post(ENROL_1)["Location"] == "/ratings/pad/"
    assert Pad.objects.exclude(enrolment_token="").exists()


def test_an_enrolled_pad_off_the_network_says_so(town):
    tablet = pad_browser(town.hall.w1, town.hall.hugo, HTTP_ACCEPT_LANGUAGE="en")
    away = tablet.get("/ratings/pad/", REMOTE_ADDR=OUTSIDE)
    assert away.status_code == 403
    assert 'data-testid="pad-off-network"' in away.content.decode()
    stranger = Client(REMOTE_ADDR=OUTSIDE).get("/ratings/pad/")
    assert 'data-testid="pad-off-network"' not in stranger.content.decode()


def test_enrolling_a_kiosk_off_the_hall_network_is_refused(town):
    kiosk = Kiosk.objects.create(hall=town.hall.hall, code="dnl-zz1", name="自助终端1号")
    browser = Client(REMOTE_ADDR=OUTSIDE, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(town.hall.hugo)
    response = browser.post(f"/hall/dnl/manage/kiosks/{kiosk.code}/enrol", follow=True)
    assert "not among the hall networks" in response.content.decode()
    kiosk.refresh_from_db()
    assert not kiosk.enrolment_token
