"""A wrong booking code opened at one of the hall's kiosks (walk-through, session 30, h3).

The booking's own page (/hall/<hall>/book/<code>/) answered a code that names no booking with
the portal's "link incomplete" page: the portal's header and navigation, "back to the start" to
the portal's home, nothing leading back to the kiosk — on a machine with no address bar or Back,
left on the portal for the next citizen. At a kiosk (its enrolled machine, or a page opened from
its link) it is now the kiosk's own page: big text, "Try again" back to the kiosk's start, back
by itself when left. The wrong code still counts against the kiosk's limit (60 in 10 minutes),
and the refusal past it also leads back to the kiosk. A phone keeps the portal's page.

Hugo (hall manager) enrolled the machine 自助终端1号 (dnl-zz1) by the east door."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import translation

from hotline.hall.models import Kiosk
from hotline.portal.models import PortalHit
from tests.conftest import at
from tests.hall.conftest import enrolled_browser

pytestmark = pytest.mark.django_db

WRONG = "/hall/dnl/book/ZZZZZZ/"


@pytest.fixture
def east(town):
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    return enrolled_browser(kiosk, town.hugo)


def _get(browser, url: str, **headers):
    with translation.override("zh-hans"):
        return browser.get(url, **headers)


def test_a_wrong_code_at_the_kiosk_gets_the_kiosks_page(east):
    answer = _get(east, f"{WRONG}?kiosk=dnl-zz1")
    page = answer.content.decode()
    assert answer.status_code == 404
    assert next(t.name for t in answer.templates) == "hall/kiosk_no_booking.html"
    assert "未找到该预约" in page
    assert 'href="/hall/dnl/self-service/dnl-zz1/" data-testid="kiosk-try-again">再试一次' in page
    assert 'data-idle-home="/hall/dnl/self-service/dnl-zz1/"' in page
    assert "topnav" not in page and "/portal/" not in page  # none of the portal's navigation


def test_the_machine_itself_tells_it_is_a_kiosk(east):
    """Opened on the enrolled machine without the kiosk's link: back to the ticket kiosk."""
    page = _get(east, WRONG).content.decode()
    assert 'href="/hall/dnl/kiosk/" data-testid="kiosk-try-again"' in page
    # A hall code mistyped too: the machine's own hall.
    wrong_hall = _get(east, "/hall/nowhere/book/ZZZZZZ/")
    assert wrong_hall.status_code == 404 and "未找到该页面" in wrong_hall.content.decode()
    assert 'href="/hall/dnl/kiosk/"' in wrong_hall.content.decode()


def test_a_phone_keeps_the_portals_page(client, town):
    answer = _get(client, WRONG)
    assert answer.status_code == 404
    assert "portal/problem.html" in [t.name for t in answer.templates]
    assert "kiosk-try-again" not in answer.content.decode()


def test_the_wrong_code_still_counts_and_the_refusal_leads_back_to_the_kiosk(east):
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for n in range(60):
            assert _get(east, f"/hall/dnl/book/ZZZ{n:03d}/?kiosk=dnl-zz1").status_code == 404
        assert PortalHit.objects.filter(key__contains="hall-code:kiosk").count() == 60
        refused = _get(east, f"{WRONG}?kiosk=dnl-zz1")
    page = refused.content.decode()
    assert refused.status_code == 429 and "本机" in page
    assert 'href="/hall/dnl/self-service/dnl-zz1/" data-testid="kiosk-home"' in page
    assert 'href="/hall/dnl/book/?kiosk=dnl-zz1"' in page


def test_in_english_too(east):
    with translation.override("en"):
        page = east.get(f"{WRONG}?kiosk=dnl-zz1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Booking not found" in page and ">Try again</a>" in page
