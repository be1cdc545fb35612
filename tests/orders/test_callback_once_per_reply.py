"""Cathy calls the citizen back: not resolved, 不满意. The order stays reviewed for Sam, the
supervisor, to reopen or archive (CALLBACK_DISSATISFIED=review). Her page still offered
'回访' and '回访未果': a second callback overwrote the 差评 with whatever was recorded next,
and a failed attempt at the limit closed the order as unreachable, before Sam decided."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import Action, Satisfaction, State
from hotline.orders.rules import InvalidTransition, NotAllowed, allowed_actions
from hotline.portal.tokens import rating_token
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


@pytest.fixture
def dissatisfied(district):
    with override_settings(CALLBACK_DISSATISFIED="review"):
        order = order_in(State.REVIEWED, district)
        actions.callback(
            order, district.cathy, resolved=False, satisfaction=Satisfaction.DISSATISFIED
        )
    assert order.state == State.REVIEWED
    return order


def test_the_recorded_verdict_cannot_be_overwritten(district, dissatisfied):
    with pytest.raises(InvalidTransition):
        actions.callback(
            dissatisfied, district.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED
        )
    with pytest.raises(InvalidTransition):
        actions.callback_attempt(dissatisfied, district.cathy, outcome="refused")
    dissatisfied.refresh_from_db()
    assert dissatisfied.satisfaction == Satisfaction.DISSATISFIED
    assert dissatisfied.state == State.REVIEWED


def test_the_page_offers_no_second_callback_and_the_supervisor_still_decides(
    client, district, dissatisfied
):
    assert Action.CALLBACK not in allowed_actions(dissatisfied, district.cathy)
    assert Action.CALLBACK_ATTEMPT not in allowed_actions(dissatisfied, district.cathy)
    html = page(client, district.cathy, reverse("order_detail", args=[dissatisfied.number]))
    assert 'class="action" data-action="callback"' not in html.content.decode()

    assert Action.REOPEN in allowed_actions(dissatisfied, district.sam)
    actions.reopen(dissatisfied, district.sam, reason="市民反映仍未解决")
    assert dissatisfied.state == State.REOPENED


def test_a_reply_approved_again_is_called_back_again(district, dissatisfied):
    actions.reopen(dissatisfied, district.sam, reason="市民反映仍未解决")
    actions.reply(dissatisfied, district.una, result="resolved", text="已彻底修复。")
    actions.approve_reply(dissatisfied, district.dan)
    assert Action.CALLBACK in allowed_actions(dissatisfied, district.cathy)


def test_the_portal_offers_no_new_rating_link_after_a_dissatisfied_verdict(
    client, district, dissatisfied
):
    # Before, the citizen who looked the order up again got a fresh link and rated it over the
    # 差评 (or, with the action refusing, met a server error).
    fresh = f"/portal/rate/{rating_token(dissatisfied)}/"
    assert client.get(fresh).status_code == 410
    response = client.post(fresh, {"resolved": "yes", "satisfaction": "satisfied"})
    assert response.status_code == 410
    dissatisfied.refresh_from_db()
    assert dissatisfied.satisfaction == Satisfaction.DISSATISFIED


def test_the_callback_agent_leaves_the_archiving_to_a_dispatcher_or_supervisor(
    district, dissatisfied
):
    # Review, session 21: Cathy could still archive the 不满意 she had just recorded (CLOSE was
    # hers for any reviewed order), deciding what README gives the dispatcher or supervisor.
    assert Action.CLOSE not in allowed_actions(dissatisfied, district.cathy)
    with pytest.raises(NotAllowed):
        actions.close(dissatisfied, district.cathy)
    assert Action.CLOSE in allowed_actions(dissatisfied, district.sam)
    assert Action.CLOSE in allowed_actions(dissatisfied, district.dan)
    actions.close(dissatisfied, district.dan)
    assert dissatisfied.state == State.CLOSED
