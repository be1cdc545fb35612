"""The 二级派单 dialog chooses the model's top sub-unit, as the dispatch dialog chooses its
suggestion (h5, session 24, L10: it was a badge only)."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.dispatch import services
from hotline.orders.models import State
from hotline.org.models import Unit, UnitKind
from tests.orders.factory import order_in
from tests.web.test_assign_inside_pages import _dialog
from tests.web.test_order_pages import page


def _chosen(dialog: str) -> list[str]:
    return re.findall(r'<option value="(\d+)"[^>]*selected', dialog)


def test_the_top_inside_suggestion_is_chosen(client, district, monkeypatch):
    d = district
    other = Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    monkeypatch.setattr(
        services, "suggest_inside", lambda order: [(other, 0.96), (d.neighbourhood, 0.03)]
    )
    order = order_in(State.ACCEPTED, d)
    html = page(client, d.una, reverse("order_detail", args=[order.number])).content.decode()
    assert _chosen(_dialog(html)) == [str(other.pk)]


def test_without_a_suggestion_nothing_is_chosen(client, district, monkeypatch):
    d = district
    monkeypatch.setattr(services, "suggest_inside", lambda order: [])
    order = order_in(State.ACCEPTED, d)
    html = page(client, d.una, reverse("order_detail", args=[order.number])).content.decode()
    assert _chosen(_dialog(html)) == []
