"""The window's rating pad is an enrolled device, like the hall's kiosks.

Hugo (the hall manager) stands at window 1's tablet, signs in, presses "Enrol this browser"
beside window 1 on the hall's ratings page and signs out: only that tablet is shown window 1's
finished services and may rate them. Wendy (window 1's clerk) cannot rate her own service from
her phone, even with the address the pad used to have, nor from her signed-in desk browser; a
revoked tablet stops at once. Each enrolment and revocation is an event.

(Session 19, h1's finding 2: the pad's address was a signed window id without expiry or
revocation, so anyone holding it rated the window's services from anywhere.)
"""

from __future__ import annotations

from ipaddress import ip_network

import pytest
import time_machine
from django.core import signing
from django.test import Client

from hotline.ratings.models import Pad, PadEvent, Rating
from hotline.ratings.pad import PAD
from tests.conftest import at
from tests.ratings.conftest import pad_browser

pytestmark = pytest.mark.django_db

NOW = "2023-03-09 10:01"
PAD_URL = "/ratings/pad/"
ENROL_1 = "/ratings/hall/dnl/pads/1/enrol"
REVOKE_1 = "/ratings/hall/dnl/pads/1/revoke"


def _old_address(window) -> str:
    """The pad's address as the manager's page listed it before (a signed window id, no expiry):
    the link a clerk could copy to their phone."""
    token = signing.Signer(salt="hotline.ratings.pad").sign_object({"w": window.pk}, compress=True)
    return f"/ratings/pad/{token}/"


def _shows_no_form(response, ticket) -> None:
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="pad-not-enrolled"' in page
    assert 'data-testid="pad-form"' not in page and ticket.number not in page


def test_wendy_cannot_rate_her_own_service_from_her_phone(town):
    ticket = town.serve("2023-03-09 10:00")
    phone = Client()  # nobody signed in, no pad's cookie
    old = _old_address(town.hall.w1)
    with time_machine.travel(at(NOW), tick=False):
        _shows_no_form(phone.get(old, follow=True), ticket)
        phone.post(old, {"ticket": ticket.pk, "level": "5"}, follow=True)
        _shows_no_form(phone.get(PAD_URL), ticket)
        _shows_no_form(phone.post(PAD_URL, {"ticket": ticket.pk, "level": "5"}), ticket)
        live = phone.get(PAD_URL + "live", HTTP_HX_REQUEST="true")
    assert live.status_code == 403 and live["HX-Refresh"] == "true"
    assert not Rating.objects.exists()


def test_wendy_signed_in_at_her_desk_is_not_a_pad(town):
    ticket = town.serve("2023-03-09 10:00")
    desk = Client()
    desk.force_login(town.hall.wendy)
    with time_machine.travel(at(NOW), tick=False):
        _shows_no_form(desk.get(PAD_URL), ticket)
        _shows_no_form(desk.post(PAD_URL, {"ticket": ticket.pk, "level": "5"}), ticket)
        assert desk.post(ENROL_1).status_code == 403  # nor can she enrol her browser
    assert not Rating.objects.exists() and not Pad.objects.exists()


def test_a_revoked_pad_stops_at_once(town):
    with time_machine.travel(at("2023-03-09 08:00"), tick=False):
        tablet = pad_browser(town.hall.w1, town.hall.hugo)
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at(NOW), tick=False):
        assert 'data-testid="pad-form"' in tablet.get(PAD_URL).content.decode()
        hugo = Client()
        hugo.force_login(town.hall.hugo)
        assert hugo.post(REVOKE_1).status_code == 302
        live = tablet.get(PAD_URL + "live", HTTP_HX_REQUEST="true")
        assert live.status_code == 403 and live["HX-Refresh"] == "true"
        posted = tablet.post(PAD_URL, {"ticket": ticket.pk, "level": "5"})
        _shows_no_form(posted, ticket)
    assert not Rating.objects.exists()
    assert list(PadEvent.objects.values_list("action", "actor")) == [
        ("enrol", town.hall.hugo.pk),
        ("revoke", town.hall.hugo.pk),
    ]


def test_hugo_enrols_the_tablet_signs_out_and_it_rates_window_1s_services(town):
    tablet = Client()
    tablet.force_login(town.hall.hugo)
    page = tablet.get("/ratings/hall/dnl/").content.decode()
    assert 'data-testid="pad-1"' in page and "未登记" in page
    response = tablet.post(ENROL_1)
    assert response.status_code == 302 and response["Location"] == PAD_URL
    cookie = response.cookies[PAD.cookie]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    # Still signed in: the pad says so and offers to sign out (staff cannot rate).
    assert 'data-testid="pad-signed-in"' in tablet.get(PAD_URL).content.decode()
    page = tablet.get("/ratings/hall/dnl/").content.decode()
    assert "hugo-dnl" in page and 'data-testid="this-browser"' in page
    tablet.logout()  # the session goes (the test client drops every cookie)
    tablet.cookies[PAD.cookie] = cookie.value  # the browser keeps the pad's
    (event,) = PadEvent.objects.all()
    assert (event.pad.window, event.action, event.actor) == (town.hall.w1, "enrol", town.hall.hugo)

    elsewhere = town.serve("2023-03-09 09:50", window=town.hall.w2, clerk=town.hall.walt)
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at(NOW), tick=False):
        idle = tablet.get(PAD_URL).content.decode()
        assert ticket.number in idle and elsewhere.number not in idle
        assert 'data-testid="pad-signed-in"' not in idle
        done = tablet.post(PAD_URL, {"ticket": ticket.pk, "level": "5"}, HTTP_HX_REQUEST="true")
        assert 'data-testid="pad-thanks"' in done.content.decode()
        again = tablet.post(PAD_URL, {"ticket": ticket.pk, "level": "1"}, HTTP_HX_REQUEST="true")
        assert 'data-testid="pad-idle"' in again.content.decode()  # one rating per service
    rating = Rating.objects.get()
    assert (rating.level, rating.channel, rating.window) == (5, "pad", town.hall.w1)


def test_the_pad_rates_only_within_the_ten_minutes(town):
    tablet = pad_browser(town.hall.w1, town.hall.hugo)
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:11"), tick=False):
        assert ticket.number not in tablet.get(PAD_URL).content.decode()
        tablet.post(PAD_URL, {"ticket": ticket.pk, "level": "5"})
    assert not Rating.objects.exists()


def test_enrolling_another_tablet_retires_the_first_after_asking(town):
    first = pad_browser(town.hall.w1, town.hall.hugo)
    second = Client()
    second.force_login(town.hall.hugo)
    asked = second.post(ENROL_1)
    assert asked.status_code == 200 and 'data-testid="enrol-confirm"' in asked.content.decode()
    assert PadEvent.objects.count() == 1
    enrolled = second.post(ENROL_1, {"confirm": "1"})
    assert enrolled.status_code == 302
    second.logout()
    second.cookies[PAD.cookie] = enrolled.cookies[PAD.cookie].value
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at(NOW), tick=False):
        _shows_no_form(first.get(PAD_URL), ticket)
        assert ticket.number in second.get(PAD_URL).content.decode()


def test_a_tablet_enrolled_at_another_window_is_no_longer_the_first_windows_pad(town):
    tablet = Client()
    tablet.force_login(town.hall.hugo)
    tablet.post(ENROL_1)
    tablet.post("/ratings/hall/dnl/pads/2/enrol")
    pad_1 = Pad.objects.get(window=town.hall.w1)
    assert pad_1.enrolment_token == "" and pad_1.events.last().action == "revoke"
    page = tablet.get("/ratings/hall/dnl/").content.decode()
    assert page.count('data-testid="this-browser"') == 1


def test_a_clerk_or_another_halls_manager_cannot_enrol_or_revoke(client, district, town):
    from tests.hall.conftest import make_hall

    pad_browser(town.hall.w1, town.hall.hugo)
    other = make_hall(district, code="jnl")
    for user in (town.hall.wendy, other.hugo):
        client.force_login(user)
        assert client.post(ENROL_1).status_code == 403
        assert client.post(REVOKE_1).status_code == 403
    client.logout()
    assert client.post(REVOKE_1).status_code == 302  # to the sign-in page
    assert PadEvent.objects.count() == 1 and Pad.objects.get().enrolment_token


def test_with_the_hall_networks_named_the_pad_counts_only_from_them(town, settings):
    settings.HALL_KIOSK_NETWORKS = (ip_network("10.20.0.0/24"),)
    ticket = town.serve("2023-03-09 10:00")
    tablet = pad_browser(town.hall.w1, town.hall.hugo, REMOTE_ADDR="10.20.0.7")
    with time_machine.travel(at(NOW), tick=False):
        assert ticket.number in tablet.get(PAD_URL).content.decode()
        away = tablet.get(PAD_URL, REMOTE_ADDR="203.0.113.5")
    _shows_no_form(away, ticket)
