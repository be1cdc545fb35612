"""Dan exports his search at 09:51 in Shanghai: the file was named orders-…-0151 (the UTC time),
and the corrections report's export the same (walk-through, session 26, L4). Both are named in
the hotline's time, as every page shows it."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from tests.conftest import at


def test_the_order_export_is_named_in_the_hotlines_time(client, district):
    client.force_login(district.dan)
    with time_machine.travel(at("2026-12-07 09:51"), tick=False):
        response = client.get(reverse("order_export") + "?format=csv")
    assert 'filename="orders-20261207-0951.csv"' in response["Content-Disposition"]


def test_the_corrections_export_too(client, district):
    ada = district.ada
    ada.is_staff = ada.is_superuser = True
    ada.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(ada)
    with time_machine.travel(at("2026-12-07 09:51"), tick=False):
        response = client.get(reverse("admin:dispatch_dispatchmodel_conflicts"), {"format": "csv"})
    assert "dispatch-conflicts-20261207-0951.csv" in response["Content-Disposition"]
