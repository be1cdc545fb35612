"""The 二级派单 dialog offers first the 居委会 the address lies in (walk-through, session 30, h6).

In the demo, 大宁路街道's handler opened 二级派单 on an order at 延长中路 332 弄, which the order
page places in 延长居委会: the dialog offered only the model's guesses and had chosen 洛川居委会
at 17 %. The gazetteer's 居委会 now comes first, chosen, marked (地址); the model's follow,
without repeating it. With no 居委会 from the address the model's top guess is chosen as before
(tests/web/test_s24_inside_suggestion_chosen.py)."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.dispatch import services
from hotline.orders.models import State, WorkOrder
from hotline.org.models import Unit, UnitKind
from tests.orders.factory import order_in
from tests.web.test_assign_inside_pages import _dialog
from tests.web.test_order_pages import page


def _chosen(dialog: str) -> list[str]:
    return re.findall(r'<option value="(\d+)"[^>]*selected', dialog)


def _badges(dialog: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", b).strip()
        for b in re.findall(r'data-testid="inside-suggestion"[^>]*>(.*?)</button>', dialog, re.S)
    ]


def test_unas_dialog_chooses_the_committee_of_the_address(client, district, monkeypatch):
    d = district
    haifang = Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    monkeypatch.setattr(
        services, "suggest_inside", lambda order: [(haifang, 0.17), (d.neighbourhood, 0.06)]
    )
    order = order_in(State.ACCEPTED, d)
    # The gazetteer placed the address in 三和花园居委会 at registration.
    WorkOrder.objects.filter(pk=order.pk).update(community=d.neighbourhood)

    html = page(client, d.una, reverse("order_detail", args=[order.number])).content.decode()
    dialog = _dialog(html)
    assert _chosen(dialog) == [str(d.neighbourhood.pk)]
    assert _badges(dialog) == ["三和花园居委会（地址）", "海防村居委会（模型 17%）"]


def test_a_committee_outside_the_unit_is_not_offered(client, district, monkeypatch):
    d = district
    haifang = Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    elsewhere = Unit.objects.create(code="bsl-01", name="宝山居委会", kind=UnitKind.NEIGHBOURHOOD)
    monkeypatch.setattr(services, "suggest_inside", lambda order: [(haifang, 0.9)])
    order = order_in(State.ACCEPTED, d)
    WorkOrder.objects.filter(pk=order.pk).update(community=elsewhere)

    html = page(client, d.una, reverse("order_detail", args=[order.number])).content.decode()
    dialog = _dialog(html)
    assert _chosen(dialog) == [str(haifang.pk)]
    assert _badges(dialog) == ["海防村居委会（模型 90%）"]


def test_an_order_already_assigned_inside_is_not_moved_by_a_preselected_guess(
    client, district, monkeypatch
):
    """Una's street assigned the order to 三和花园居委会; opening 二级派单 again (to reassign)
    lists the address's and the model's committees as badges but chooses none: pressing the
    button without a choice moves nothing."""
    d = district
    haifang = Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    monkeypatch.setattr(services, "suggest_inside", lambda order: [(haifang, 0.6)])
    order = order_in(State.DISPATCHED, d, inside=d.neighbourhood)

    html = page(client, d.una, reverse("order_detail", args=[order.number])).content.decode()
    dialog = _dialog(html)
    assert _chosen(dialog) == []
    assert _badges(dialog) == ["海防村居委会（模型 60%）"]
