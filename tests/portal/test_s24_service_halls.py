"""A citizen finds the district's service halls from the portal: booking, today's ticket online
(where a matter allows it), the queue and what to bring (walk-through, session 24, M10: no portal
page led to a hall; /hall/lfl/book/ was reached only by a link someone gave)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


def test_the_portal_leads_to_every_active_halls_booking_and_queue(district):
    dnl = make_hall(district)
    other = make_hall(district, code="lfl")
    other.residence.remote_ticket_allowed = True
    other.residence.save(update_fields=["remote_ticket_allowed"])
    closed = make_hall(district, code="old")
    closed.hall.unit.active = False
    closed.hall.unit.save(update_fields=["active"])
    phone = Client()
    home = phone.get(reverse("portal:home")).content.decode()
    assert reverse("portal:halls") in home
    page = phone.get(reverse("portal:halls")).content.decode()
    for place in (dnl, other):
        code = place.hall.code
        assert reverse("hall:book", args=[code]) in page
        assert reverse("hall:board", args=[code]) in page
        assert reverse("hall:materials", args=[code]) in page
    assert reverse("hall:remote_ticket", args=["lfl"]) in page
    assert reverse("hall:book", args=["old"]) not in page
