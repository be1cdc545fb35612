"""Reasons and notes have one cap (REASON_MAX_LENGTH): a megabyte pasted into a return's reason,
a hand-back or an assignment's note was stored and shown on every timeline. The action refuses
it and names the field; the page says so beside the field and keeps what was typed; the API
answers 422 on the field. Nothing is written."""

from __future__ import annotations

import pytest

from hotline.orders import actions
from hotline.orders.models import REASON_MAX_LENGTH, REPLY_MAX_LENGTH, Event, ReplyResult, State
from hotline.orders.rules import InvalidInput
from tests.api.conftest import api, error_of  # noqa: F401  (the API client fixture)
from tests.orders.factory import order_in
from tests.web.test_order_pages import act

TOO_LONG = "不" * (REASON_MAX_LENGTH + 1)


def _events(order) -> int:
    return Event.objects.filter(order=order).count()


@pytest.mark.parametrize(
    ("state", "inside", "call"),
    [
        (State.ACCEPTED, False, lambda d, o, t: actions.request_return(o, d.una, reason=t)),
        (
            State.ACCEPTED,
            False,
            lambda d, o, t: actions.request_extension(o, d.una, days=3, reason=t),
        ),
        (State.ACCEPTED, True, lambda d, o, t: actions.hand_back(o, d.nina, reason=t)),
        (
            State.DISPATCHED,
            False,
            lambda d, o, t: actions.assign_inside(o, d.una, unit=d.neighbourhood, note=t),
        ),
        (State.RETURNED, False, lambda d, o, t: actions.reject_return(o, d.dan, reason=t)),
        (State.ACCEPTED, False, lambda d, o, t: actions.comment(o, d.una, text=t)),
    ],
    ids=["return", "extension", "hand_back", "assign_inside", "reject_return", "comment"],
)
def test_an_overlong_reason_is_refused_by_the_action(district, state, inside, call):
    d = district
    order = order_in(state, d, inside=d.neighbourhood if inside else None)
    before = _events(order)
    with pytest.raises(InvalidInput) as refused:
        call(d, order, TOO_LONG)
    assert str(REASON_MAX_LENGTH) in str(refused.value)
    assert _events(order) == before
    # At the cap (and padded with spaces that are stripped) it is accepted.
    call(d, order, "  " + "不" * REASON_MAX_LENGTH + "\n")
    assert _events(order) == before + 1


def test_the_page_says_the_reason_is_too_long_and_keeps_it(client, district):
    d = district
    order = order_in(State.ACCEPTED, d)
    response = act(client, d.una, order, "return", reason=TOO_LONG)
    html = response.content.decode()
    assert str(REASON_MAX_LENGTH) in html and "errorlist" in html
    assert TOO_LONG in html  # nothing typed is lost
    order.refresh_from_db()
    assert order.state == State.ACCEPTED


def test_the_api_refuses_an_overlong_reason_on_the_field(api, district):  # noqa: F811
    d = district
    order = order_in(State.ACCEPTED, d)
    response = api(d.una).post(f"/orders/{order.number}/return", {"reason": TOO_LONG})
    assert response.status_code == 422
    assert "reason" in str(error_of(response))
    inside = order_in(State.DISPATCHED, d)
    response = api(d.una).post(
        f"/orders/{inside.number}/assign-inside", {"unit": "jnl-01", "note": TOO_LONG}
    )
    assert response.status_code == 422
    assert "note" in str(error_of(response))
    response = api(d.una).post(f"/orders/{order.number}/comment", {"text": TOO_LONG})
    assert response.status_code == 422
    order.refresh_from_db()
    inside.refresh_from_db()
    assert order.state == State.ACCEPTED and inside.assigned_unit is None


def test_an_overlong_reply_to_the_citizen_is_refused_everywhere(client, api, district):  # noqa: F811
    d = district
    order = order_in(State.ACCEPTED, d)
    too_long = "已" * (REPLY_MAX_LENGTH + 1)
    with pytest.raises(InvalidInput):
        actions.reply(order, d.una, result=ReplyResult.RESOLVED, text=too_long)
    html = act(client, d.una, order, "reply", result="resolved", text=too_long).content.decode()
    assert str(REPLY_MAX_LENGTH) in html and too_long in html
    response = api(d.una).post(
        f"/orders/{order.number}/reply", {"result": "resolved", "text": too_long}
    )
    assert response.status_code == 422 and "text" in str(error_of(response))
    order.refresh_from_db()
    assert order.state == State.ACCEPTED and order.reply_text == ""
    # A long but reasonable reply (over the reasons' cap) is a reply.
    actions.reply(order, d.una, result=ReplyResult.RESOLVED, text="已" * REPLY_MAX_LENGTH)


AT_CAP_PADDED = "  " + "不" * REASON_MAX_LENGTH + "\n"
#: Ten lines of 99 characters: 999 as typed, 1,008 as a browser posts a textarea (CRLF).
TEN_LINES = "\r\n".join(["不" * 99] * 10)


def test_the_api_counts_a_reason_as_the_page_and_the_action_do(api, district):  # noqa: F811
    """Found in review: the API counted blanks around a reason (and CRLF as two), so a reason
    the page and the action accept was refused with 422."""
    d = district
    for text in (AT_CAP_PADDED, TEN_LINES):
        order = order_in(State.ACCEPTED, d)
        response = api(d.una).post(f"/orders/{order.number}/return", {"reason": text})
        assert response.status_code == 200, error_of(response)


def test_a_line_break_typed_on_the_page_counts_as_one_character(client, district):
    d = district
    order = order_in(State.ACCEPTED, d)
    act(client, d.una, order, "return", reason=TEN_LINES)
    order.refresh_from_db()
    assert order.state == State.RETURNED
    assert Event.objects.filter(order=order).last().reason == TEN_LINES.replace("\r\n", "\n")
