"""Granny Wang books at the 24-hour self-service kiosk by the east door and walks away; the next
citizen must find the kiosk's own pages, not hers (attack, session 28, h4 F1).

The booking page opened from a kiosk linked to the hall's phone pages: the material lists
(/hall/dnl/materials/) and "take today's ticket online" (/hall/dnl/today/, which ends on the
ticket's "my place" page with its give-up button). Neither page knows the kiosk: no way back to
it and no return when left alone, so the next citizen found the last one's number typed, or her
ticket to give up. At a kiosk the booking page now offers the kiosk's own material list and no
online ticket (the kiosk issues tickets itself); on a phone both links stay. The kiosk's material
list goes back to the kiosk's home when left alone, as its other pages do."""

from __future__ import annotations

import re

import pytest

from hotline.hall.models import Kiosk

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk(town) -> Kiosk:
    town.residence.remote_ticket_allowed = True
    town.residence.save(update_fields=["remote_ticket_allowed"])
    return Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")


def _links(page: str) -> set[str]:
    """Where the page's links lead (its style sheet aside)."""
    found = {h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', page)}
    return {h for h in found if not h.startswith("/static/")}


def test_the_booking_page_at_the_self_service_kiosk_never_leaves_it(client, town, kiosk):
    page = client.get("/hall/dnl/book/", {"kiosk": kiosk.code, "matter": town.residence.pk})
    links = _links(page.content.decode())
    assert "/hall/dnl/materials/" not in {link.split("?")[0] for link in links}
    assert "/hall/dnl/today/" not in links
    assert 'data-testid="go-remote-ticket"' not in page.content.decode()
    assert f"/hall/dnl/self-service/dnl-zz1/materials/?matter={town.residence.pk}" in links
    # Every way out leads to the kiosk's own pages.
    kiosks_own = ("/hall/dnl/self-service/dnl-zz1/", "/hall/dnl/book/")
    assert all(link.startswith(kiosks_own) for link in links)
    assert all("kiosk=dnl-zz1" in link for link in links if link.startswith("/hall/dnl/book/"))


def test_the_booking_page_at_the_ticket_kiosk_never_leaves_it(client, town, kiosk):
    page = client.get("/hall/dnl/book/", {"kiosk": "ticket", "matter": town.residence.pk})
    links = _links(page.content.decode())
    assert f"/hall/dnl/kiosk/materials/?matter={town.residence.pk}" in links
    assert not {"/hall/dnl/today/", f"/hall/dnl/materials/?matter={town.residence.pk}"} & links


def test_on_a_phone_the_booking_page_still_offers_both(client, town, kiosk):
    page = client.get("/hall/dnl/book/", {"matter": town.residence.pk}).content.decode()
    links = _links(page)
    assert "/hall/dnl/today/" in links
    assert f"/hall/dnl/materials/?matter={town.residence.pk}" in links


def test_the_kiosks_material_list_goes_home_when_left(client, town, kiosk):
    home = "/hall/dnl/self-service/dnl-zz1/"
    page = client.get(f"{home}materials/", {"matter": town.residence.pk}).content.decode()
    assert f'data-idle-reset="{home}" data-idle-home="{home}"' in page
