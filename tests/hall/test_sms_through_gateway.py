"""The near-the-front text reaches a real HTTP gateway through ``HttpSmsNotifier``."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.identity import holder_key
from hotline.orders import notify
from tests.sms_gateway import running_gateway

pytestmark = pytest.mark.django_db(transaction=True)  # messages go out on commit


def test_the_text_near_the_front_is_posted_to_the_gateway(town):
    town.hall.sms_position = 0
    town.hall.save()
    actions.sign_in(town.w2, town.walt)
    actions.issue(town.hall, town.residence)
    actions.issue(
        town.hall,
        town.residence,
        holder_key=holder_key(phone="13912345678"),
        sms_phone="13912345678",
    )
    with running_gateway() as gateway:
        actions.call_next(town.w2, town.walt)  # nobody ahead of A002 now: the text goes out
        notify.wait_for_texts()
    assert [body["to"] for _, body in gateway.received] == ["13912345678"]
    _, body = gateway.received[0]
    assert body["kind"] == "hall_near_front" and body["reference"] == "A002"
    assert "A002" in body["text"]
