"""A write-only token's replay of a registration the system dispatched itself says what the
first answer said: dispatched, at the version the automatic dispatch left (brief, session 24),
and still that after a person moved the order on."""

from __future__ import annotations

import json

from django.test import Client, override_settings

from hotline.dispatch.models import DispatchModel
from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from hotline.org.models import ApiToken, Role
from tests.conftest import make_user

WAGES = "公司拖欠工资，已经三个月没发了，要求给个说法。"  # 区人力资源和社会保障局 = b4


def register(raw: str, key: str):
    return Client().post(
        "/api/v1/orders",
        json.dumps({"title": "拖欠工资", "description": WAGES}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": key},
    )


@override_settings(AUTO_DISPATCH=True)
def test_the_replay_of_an_automatically_dispatched_order_says_dispatched(
    district, active_model, units
):
    DispatchModel.objects.filter(pk=active_model.pk).update(threshold=0.0)
    pat = make_user("pat", district.centre, Role.OPERATOR)
    _token, raw = ApiToken.issue(pat, "writer", scopes=[ApiToken.API_WRITE])
    first = register(raw, "auto-key-s24")
    assert first.status_code == 201, first.content
    assert first.json()["state"] == State.DISPATCHED
    order = WorkOrder.objects.get(number=first.json()["number"])
    actions.comment(order, district.dan, text="已联系")

    again = register(raw, "auto-key-s24")

    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


@override_settings(AUTO_DISPATCH=True)
def test_the_replay_after_the_model_also_chose_the_sub_unit_says_its_version(
    district, tree, tree_model
):
    # The model dispatched to the first-level unit and assigned its section itself: the first
    # answer was version 3, not the dispatch's 2 (review, session 24).
    from hotline.api import idempotency
    from hotline.dispatch import services
    from tests.dispatch.history import register as register_order

    DispatchModel.objects.filter(pk=tree_model.pk).update(threshold=0.0)
    order = register_order(district, WAGES)
    services.predict_and_maybe_dispatch(order)
    first = dict(WorkOrder.objects.values("number", "state", "version").get(pk=order.pk))
    assert order.events.count() == 3
    assert idempotency.as_first_answered(order) == first
