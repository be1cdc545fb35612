"""Hugo (the hall manager) enrols the machine by the east door as kiosk dnl-zz1.

He signs in on the machine, opens his page, presses "Enrol this browser" beside the kiosk and
signs out: the browser keeps a signed, long-lived, HttpOnly cookie naming the kiosk, and his page
says the kiosk is enrolled, when and by whom. Enrolling another machine as the kiosk, or
revoking, voids the old cookie; each is an event. A window clerk cannot enrol; an administrator
does the same from the admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hotline.hall import devices
from hotline.hall.models import Kiosk, KioskEvent
from hotline.org.models import User

pytestmark = pytest.mark.django_db

ENROL = "/hall/dnl/manage/kiosks/dnl-zz1/enrol"
REVOKE = "/hall/dnl/manage/kiosks/dnl-zz1/revoke"


@pytest.fixture
def kiosk(town) -> Kiosk:
    return Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")


def _enrolled_as(browser: Client) -> Kiosk | None:
    """The kiosk the browser's cookie names now, as the kiosk pages read it."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.COOKIES = {k: v.value for k, v in browser.cookies.items()}
    return devices.enrolled_kiosk(request)


def test_the_manager_enrols_the_machine_and_his_page_says_so(town, kiosk):
    machine = Client()
    machine.force_login(town.hugo)
    page = machine.get("/hall/dnl/manage/").content.decode()
    assert 'data-testid="kiosk-dnl-zz1"' in page and "未登记" in page
    response = machine.post(ENROL)
    assert response.status_code == 302
    cookie = response.cookies[devices.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    assert _enrolled_as(machine) == kiosk
    page = machine.get("/hall/dnl/manage/").content.decode()
    assert "hugo-dnl" in page and 'data-testid="this-browser"' in page
    assert "（dnl-zz1）" in page  # the code in the language's own brackets
    machine.logout()  # the session goes, the kiosk's cookie stays
    machine.cookies[devices.COOKIE] = cookie.value
    assert _enrolled_as(machine) == kiosk
    (event,) = KioskEvent.objects.all()
    assert (event.kiosk, event.action, event.actor) == (kiosk, "enrol", town.hugo)


def test_enrolling_another_machine_or_revoking_voids_the_old_cookie(town, kiosk):
    old, new = Client(), Client()
    for browser in (old, new):
        browser.force_login(town.hugo)
    assert old.post(ENROL).status_code == 302
    assert new.post(ENROL, {"confirm": "1"}).status_code == 302
    assert _enrolled_as(old) is None and _enrolled_as(new) == kiosk
    assert 'data-testid="this-browser"' not in old.get("/hall/dnl/manage/").content.decode()
    response = new.post(REVOKE)
    assert response.status_code == 302
    assert response.cookies[devices.COOKIE].value == ""  # this browser's cookie is cleared
    kiosk.refresh_from_db()
    assert kiosk.enrolment_token == "" and kiosk.enrolled_at is None
    assert "未登记" in new.get("/hall/dnl/manage/").content.decode()
    assert list(kiosk.events.values_list("action", flat=True)) == ["enrol", "enrol", "revoke"]


def test_a_clerk_or_another_halls_manager_cannot_enrol(client, district, town, kiosk):
    from tests.hall.conftest import make_hall

    other = make_hall(district, code="jnl")
    for user in (town.wendy, other.hugo):
        client.force_login(user)
        assert client.post(ENROL).status_code == 403
        assert client.post(REVOKE).status_code == 403
    assert not KioskEvent.objects.exists()
    client.logout()
    assert client.post(ENROL).status_code == 302  # to the sign-in page
    assert not KioskEvent.objects.exists()


def test_the_admin_enrols_and_revokes_from_the_kiosk_list(client, town, kiosk):
    ada = User.objects.create_superuser("ada-admin", password="pw")
    client.force_login(ada)
    url = reverse("admin:hall_kiosk_changelist")
    data = {"action": "enrol_this_browser", "_selected_action": [kiosk.pk]}
    response = client.post(url, data)
    assert response.status_code == 302 and devices.COOKIE in response.cookies
    assert _enrolled_as(client) == kiosk
    change = client.get(reverse("admin:hall_kiosk_change", args=[kiosk.pk])).content.decode()
    assert "ada-admin" in change  # the history below the kiosk
    data = {"action": "revoke_enrolment", "_selected_action": [kiosk.pk]}
    assert client.post(url, data).status_code == 302
    assert _enrolled_as(client) is None
    assert list(kiosk.events.values_list("action", "actor")) == [
        ("enrol", ada.pk),
        ("revoke", ada.pk),
    ]


def test_enrolling_over_another_browser_asks_first(town, kiosk):
    """Session 17: a mis-click on "Enrol this browser" on the manager's office computer made it
    the kiosk and silently voided the machine's cookie (the kiosk then shared its address's
    counts with the phones). When another browser is the kiosk, the page asks first; the
    browser that is the kiosk already re-enrols without asking."""
    machine, office = Client(), Client()
    for browser in (machine, office):
        browser.force_login(town.hugo)
    assert machine.post(ENROL).status_code == 302
    asked = office.post(ENROL)
    page = asked.content.decode()
    assert asked.status_code == 200 and 'data-testid="enrol-confirm"' in page
    assert "原先登记的浏览器不再按该终端计算" in page
    assert _enrolled_as(machine) == kiosk and _enrolled_as(office) is None
    assert machine.post(ENROL).status_code == 302  # itself again: no question
    assert _enrolled_as(machine) == kiosk
    assert office.post(ENROL, {"confirm": "1"}).status_code == 302
    assert _enrolled_as(office) == kiosk and _enrolled_as(machine) is None


def test_a_browser_enrolled_as_one_kiosk_and_then_another_is_no_longer_the_first(town, kiosk):
    """r1's review of session 17: the machine enrolled as dnl-zz1, then (the buttons side by
    side) as dnl-zz2, became dnl-zz2 — its one cookie replaced — while the manager's page still
    showed dnl-zz1 enrolled by a cookie no browser holds. Enrolling as another kiosk revokes the
    one the browser was, with its event."""
    other = Kiosk.objects.create(hall=town.hall, code="dnl-zz2", name="自助终端2号", place="西门")
    machine = Client()
    machine.force_login(town.hugo)
    assert machine.post(ENROL).status_code == 302
    assert machine.post("/hall/dnl/manage/kiosks/dnl-zz2/enrol").status_code == 302
    assert _enrolled_as(machine) == other
    kiosk.refresh_from_db()
    assert kiosk.enrolment_token == ""
    assert list(KioskEvent.objects.filter(kiosk=kiosk).values_list("action", flat=True)) == [
        "enrol",
        "revoke",
    ]


def test_the_ticket_kiosk_page_renews_an_enrolled_machines_cookie(town, kiosk):
    """r1's review: only the self-service page renewed the cookie, so a ticket machine enrolled
    as a kiosk (docs/deploy.md) fell back to the address's limits after 400 days."""
    from tests.hall.conftest import enrolled_browser

    machine = enrolled_browser(kiosk, town.hugo)
    response = machine.get("/hall/dnl/kiosk/")
    assert response.status_code == 200
    assert devices.COOKIE in response.cookies
    assert devices.COOKIE not in Client().get("/hall/dnl/kiosk/").cookies


def test_a_kiosk_made_inactive_in_the_admin_is_no_longer_enrolled(town, kiosk):
    """r1's review of session 17: deactivating a kiosk kept its enrolment, so making it active
    again silently brought back whichever browser held its cookie, with no event."""
    from django.contrib import admin
    from django.test import RequestFactory

    from hotline.hall.actions import selfservice
    from hotline.hall.admin import KioskAdmin

    ada = User.objects.create_superuser("ada-admin", password="pw")
    selfservice.enrol(kiosk, actor=ada)
    request = RequestFactory().post("/")
    request.user = ada
    kiosk.active = False
    KioskAdmin(Kiosk, admin.site).save_model(request, kiosk, form=None, change=True)
    kiosk.refresh_from_db()
    assert kiosk.enrolment_token == "" and not kiosk.active
    assert list(kiosk.events.values_list("action", flat=True)) == ["enrol", "revoke"]
