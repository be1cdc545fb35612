"""Who may post through Open311, and what Open311 publishes (issue 13, items 2 and 14).

Only an account allowed to register orders (an operator or dispatcher, or a partner system's
account given that role) posts; the register event names it. Only orders that really came through
Open311 are published, and their published text has personal data masked.
"""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.orders import actions
from hotline.orders.models import Channel, ReplyResult, WorkOrder
from hotline.orders.rules import InvalidInput
from hotline.org.models import ApiToken
from tests.api.conftest import ApiClient
from tests.open311.test_georeport import post
from tests.orders.factory import new_order


def key_of(user) -> str:
    _token, raw = ApiToken.issue(user, name="partner app", scopes=[ApiToken.OPEN311])
    return raw


@pytest.mark.parametrize("who", ["una", "leo", "cathy", "sam", "ada"])
def test_a_token_of_someone_who_may_not_register_cannot_post(district, who):
    response = post(Client(), key_of(getattr(district, who)))

    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert not WorkOrder.objects.exists()


def test_the_register_event_names_the_partner_account(district):
    response = post(Client(), key_of(district.olga))

    assert response.status_code == 200
    order = WorkOrder.objects.get()
    assert order.events.get().actor == district.olga


def test_staff_cannot_give_an_order_the_open311_channel(district):
    with pytest.raises(InvalidInput) as refused:
        new_order(district, channel=Channel.OPEN311)
    assert refused.value.field == "channel"


def test_the_api_cannot_register_an_open311_order(district):
    body = {"title": "路灯不亮", "description": "江宁路的路灯不亮。", "channel": "open311"}

    # A JSON API token (an Open311 key is refused there before the channel is read).
    response = ApiClient(ApiToken.issue(district.olga, name="tests")[1]).post("/orders", body)

    assert response.status_code == 422
    assert response.json()["field"] == "channel"


def test_published_text_has_personal_data_masked(district):
    response = post(
        Client(),
        key_of(district.olga),
        description="请联系 13812345678 或 zhang.san@example.com，身份证 310101199001011234。",
    )
    order = WorkOrder.objects.get(number=response.json()[0]["service_request_id"])
    actions.dispatch(order, district.dan, lead_unit=district.street)
    actions.accept(order, district.una)
    actions.first_contact(order, district.una, way="phone")
    actions.reply(
        order, district.una, result=ReplyResult.RESOLVED, text="已电话联系市民 62345678，已修复。"
    )
    actions.approve_reply(order, district.dan)

    published = Client().get(f"/open311/v2/requests/{order.number}.json").json()[0]

    text = published["description"] + published["status_notes"]
    for secret in ("13812345678", "zhang.san", "199001011234", "62345678"):
        assert secret not in text
    assert "*******5678" in published["description"] and "****5678" in published["status_notes"]


def test_the_intake_form_does_not_offer_the_open311_channel(client, district):
    client.force_login(district.olga)
    html = client.get("/intake/").content.decode()
    assert 'value="open311"' not in html and 'value="phone"' in html


def test_numbers_typed_in_full_width_or_in_parts_are_masked_too(district):
    """A Chinese input method left in full-width mode types １３９…, and an identity-card number
    is often written in its three parts: both were published whole (security review, session
    18)."""
    response = post(
        Client(),
        key_of(district.olga),
        description="请联系我１３９１２３４５６７８，身份证 310101 19900101 1234，"
        "或０２１－６２３４５６７８，证件３１０１０１１９９００１０１１２３Ｘ。",
    )
    number = response.json()[0]["service_request_id"]

    published = Client().get(f"/open311/v2/requests/{number}.json").json()[0]["description"]

    for secret in ("１３９１２３４", "19900101", "６２３４", "１９９００１０１"):
        assert secret not in published
    assert "５６７８" in published and "310101" in published  # the last digits, the area code
