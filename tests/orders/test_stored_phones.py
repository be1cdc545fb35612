"""Every stored caller's number is in the one canonical form intake writes (hotline.security.
phone_numbers), so the caller history, search, the API's filter and duplicate detection — which
compare the stored column with a normalised number — find orders that came in another way:
imported from another system's history, or registered before intake normalised numbers (the data
migration orders/0007 rewrites those).
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from hotline.orders.history import import_orders
from hotline.orders.models import WorkOrder
from tests.conftest import District
from tests.orders.factory import new_order
from tests.orders.history_lines import closed_order_line, lines, numbered

normalise_stored_phones = importlib.import_module(
    "hotline.orders.migrations.0007_normalise_stored_phones"
).normalise_stored_phones


@pytest.fixture
def record(district: District) -> dict:
    return closed_order_line(district)


def test_an_imported_order_keeps_its_callers_number_in_the_canonical_form(record):
    report = import_orders(
        lines(
            numbered(record, 1, citizen_phone="+86 139-1234-5678"),
            numbered(record, 2, citizen_phone="(021) 6234 5678"),
            numbered(record, 3, citizen_phone="139****5678"),  # an export masks the number
        )
    )
    assert report.ok, report.errors
    stored = dict(WorkOrder.objects.values_list("number", "citizen_phone"))
    assert stored == {
        "20230301-000001": "13912345678",
        "20230301-000002": "02162345678",
        "20230301-000003": "139****5678",
    }


def test_olga_finds_an_imported_order_in_the_caller_history(client, district, record):
    assert import_orders(lines(numbered(record, 1, citizen_phone="0086 139 1234 5678"))).ok
    client.force_login(district.olga)
    page = client.post(reverse("caller_history"), {"citizen_phone": "13912345678"})
    assert "20230301-000001" in page.content.decode()


def stored_before_normalisation(d: District, raw: str) -> WorkOrder:
    """An order as an older version stored it: the number as the operator typed it."""
    order = new_order(d)
    WorkOrder.objects.filter(pk=order.pk).update(citizen_phone=raw)
    return order


def test_the_migration_rewrites_numbers_stored_as_typed(district):
    typed = {
        "+86 139-1234-5678": "13912345678",
        "013912345678": "13912345678",
        "１３９ １２３４ ５６７８": "13912345678",
        "+86 21 6234 5678": "02162345678",
        "13912345678": "13912345678",
        "": "",
    }
    orders = {raw: stored_before_normalisation(district, raw) for raw in typed}

    normalise_stored_phones(apps, None)

    for raw, order in orders.items():
        order.refresh_from_db()
        assert order.citizen_phone == typed[raw], raw


def test_the_migration_leaves_the_orders_version_alone(district):
    # The number's spelling changes, not the order: nobody's open page should see a conflict.
    order = stored_before_normalisation(district, "139 1234 5678")
    version, updated = order.version, WorkOrder.objects.get(pk=order.pk).updated_at
    normalise_stored_phones(apps, None)
    order.refresh_from_db()
    assert (order.version, order.updated_at) == (version, updated)
