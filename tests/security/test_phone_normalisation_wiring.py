"""One phone normaliser behind intake, the caller history, the API's phone filter and the portal
(issue 13, items 16 and 17): ``+86 139-1234-5678``, ``0086 13912345678`` and ``013912345678`` are
the same caller everywhere, and the portal's limit table never holds a number in clear.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hotline.orders.models import WorkOrder
from hotline.portal.models import PortalHit
from hotline.security.models import PhoneView, Where
from tests.api.conftest import ApiClient
from tests.orders.factory import new_order
from tests.portal.test_portal import submit, submitted_number, track

VARIANTS = ["+86 139-1234-5678", "0086 13912345678", "013912345678", "86 139 1234 5678"]


@pytest.mark.parametrize("typed", VARIANTS)
def test_olga_registers_the_number_in_one_form_however_it_is_typed(district, typed):
    order = new_order(district, citizen_phone=typed)
    order.refresh_from_db()
    assert order.citizen_phone == "13912345678"


def test_the_caller_history_finds_a_caller_written_another_way(client, district):
    earlier = new_order(district, citizen_phone="13912345678")
    client.force_login(district.olga)

    page = client.post(reverse("caller_history"), {"citizen_phone": "+86 139 1234 5678"})

    assert earlier.number in page.content.decode()


def test_similar_orders_found_by_the_callers_number_are_a_phone_view(client, district):
    earlier = new_order(district, citizen_phone="13912345678")
    client.force_login(district.olga)

    page = client.post(
        reverse("similar_orders"),
        {
            "title": earlier.title,
            "description": earlier.description,
            "citizen_phone": "139-1234-5678",
        },
    )

    assert earlier.number in page.content.decode()
    seen = PhoneView.objects.get(order=earlier)
    assert (seen.user, seen.where) == (district.olga, Where.CALLER_HISTORY)


def test_the_api_phone_filter_matches_any_way_of_writing_the_number(district):
    from hotline.org.models import ApiToken

    order = new_order(district, citizen_phone="13912345678")
    _token, raw = ApiToken.issue(district.dan, name="tests")

    found = ApiClient(raw).get("/orders", {"phone": "+86 139-1234-5678"})

    assert found.status_code == 200
    assert [o["number"] for o in found.json()["items"]] == [order.number]


def test_the_portal_limit_per_phone_cannot_be_dodged_by_rewriting_the_number(district, settings):
    written = ["13912345678", *VARIANTS]
    for i in range(settings.PORTAL_SUBMITS_PER_PHONE_DAY):
        client = Client(REMOTE_ADDR=f"203.0.113.{i + 1}")
        assert submit(client, district, phone=written[i % len(written)]).status_code == 302

    refused = submit(Client(REMOTE_ADDR="198.51.100.7"), district, phone="+86 13912345678")

    assert refused.status_code == 429
    assert WorkOrder.objects.filter(citizen_phone="13912345678").count() == 5


def test_the_portal_limit_table_holds_no_phone_number(district):
    assert submit(Client(REMOTE_ADDR="203.0.113.1"), district, phone="139 1234 5678").status_code
    keys = list(PortalHit.objects.values_list("key", flat=True))
    assert keys and not any("13912345678" in key for key in keys)


def test_a_citizen_tracks_with_the_number_written_another_way(district):
    citizen = Client(HTTP_ACCEPT_LANGUAGE="en")
    number = submitted_number(citizen, submit(citizen, district, phone="139-1234-5678"))

    page = track(citizen, number, phone="+86 139 1234 5678")

    assert page.status_code == 200
    assert page.context["order"].number == number
