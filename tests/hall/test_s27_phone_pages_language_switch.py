"""A citizen reaches the hall's phone pages from a ticket's QR code or a texted link, not through
the portal, whose header has a language switch: 'my place' got one this session (e6034e5); the
booking, today's ticket and the rating pages had none (walk-through, session 27, h7 F7). The
switch is offered where it brings the same page back: not at a kiosk (the next citizen would
leave its ways home), not for the hotline operator (the caller's number travels in her form), and
not on a page answering a POST (it would come back as the empty form). The printed ticket's page
gets a heading (F8)."""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline.hall.models import Kiosk
from tests.hall.conftest import enrolled_browser

pytestmark = pytest.mark.django_db

SWITCH = 'data-testid="language"'


def _page(answer) -> str:
    assert answer.status_code == 200, answer.status_code
    return answer.content.decode()


def test_a_citizen_can_switch_language_on_the_booking_and_todays_ticket_pages(client, town):
    with translation.override("zh-hans"):
        book = _page(client.get("/hall/dnl/book/"))
        today = _page(client.get("/hall/dnl/today/"))
    assert SWITCH in book and SWITCH in today
    assert 'name="next" type="hidden" value="/hall/dnl/book/"' in book


def test_no_switch_at_a_kiosk_for_the_operator_or_on_a_page_answering_a_post(
    client, district, town
):
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    machine = enrolled_browser(kiosk, town.hugo)
    assert SWITCH not in _page(machine.get("/hall/dnl/book/?kiosk=dnl-zz1"))
    refused = client.post("/hall/dnl/book/", {"matter": town.residence.pk})
    assert SWITCH not in refused.content.decode()
    client.force_login(district.olga)
    assert SWITCH not in _page(client.get("/hall/dnl/book/"))
