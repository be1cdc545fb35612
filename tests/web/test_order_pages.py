"""Staff pages through Django's test client: desks per role, the order page, actions by POST.
(What a person does in a real browser is in tests/browser/.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from tests.orders.factory import new_order, order_in


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def act(client, user, order, action, **data):
    client.force_login(user)
    order.refresh_from_db()
    data.setdefault("version", order.version)
    return client.post(
        reverse("order_act", args=[order.number, action]), data, HTTP_HX_REQUEST="true"
    )


@pytest.mark.parametrize(
    ("desk", "allowed", "refused"),
    [
        ("dispatch_desk", "dan", "una"),
        ("unit_inbox", "una", "dan"),
        ("callback_desk", "cathy", "olga"),
        ("supervision_desk", "sam", "una"),
        ("intake", "olga", "cathy"),
    ],
)
def test_each_desk_opens_for_its_role_only(client, district, desk, allowed, refused):
    assert page(client, getattr(district, allowed), reverse(desk)).status_code == 200
    assert page(client, getattr(district, refused), reverse(desk)).status_code == 403


def test_dispatch_desk_lists_new_orders_with_counts(client, district):
    order = new_order(district)
    html = page(client, district.dan, reverse("dispatch_desk")).content.decode()
    assert order.number in html
    assert 'data-tab="new"' in html


def test_unit_inbox_shows_only_the_units_orders_with_masked_phones(client, district):
    mine = order_in(State.DISPATCHED, district)
    theirs = new_order(district)
    actions.dispatch(theirs, district.dan, lead_unit=district.bureau)
    html = page(client, district.una, reverse("unit_inbox")).content.decode()
    assert mine.number in html and theirs.number not in html
    detail = page(
        client, district.una, reverse("order_detail", args=[mine.number])
    ).content.decode()
    assert "*******5678" in detail and "13812345678" not in detail
    full = page(client, district.dan, reverse("order_detail", args=[mine.number])).content.decode()
    assert "13812345678" in full


def test_unit_cannot_open_another_units_order(client, district):
    theirs = new_order(district)
    actions.dispatch(theirs, district.dan, lead_unit=district.bureau)
    response = page(client, district.una, reverse("order_detail", args=[theirs.number]))
    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.content.decode()
    response = act(client, district.una, theirs, "accept")
    assert response.status_code == 404
    assert WorkOrder.objects.get(pk=theirs.pk).state == State.DISPATCHED


def test_order_page_offers_only_the_actions_allowed_now(client, district):
    order = order_in(State.DISPATCHED, district)
    html = page(client, district.una, reverse("order_detail", args=[order.number])).content.decode()
    assert 'data-action="accept"' in html and 'data-action="return"' in html
    assert 'data-action="reply"' not in html
    html = page(client, district.leo, reverse("order_detail", args=[order.number])).content.decode()
    assert '<details class="action' not in html  # the leader reads, never acts
    assert "Nothing for you to do" in html or "没有需要您处理" in html


def test_forcing_an_action_not_allowed_now_is_refused_and_changes_nothing(client, district):
    order = order_in(State.DISPATCHED, district)
    response = act(client, district.una, order, "reply", result="resolved", text="已处理")
    assert response.status_code == 409
    assert WorkOrder.objects.get(pk=order.pk).state == State.DISPATCHED
    response = act(client, district.olga, order, "accept")
    assert response.status_code == 403
    assert order.events.count() == 2


def test_action_by_post_moves_the_order_and_returns_the_panel(client, district):
    order = order_in(State.DISPATCHED, district)
    response = act(client, district.una, order, "accept")
    assert response.status_code == 200
    assert 'data-state="accepted"' in response.content.decode()
    response = act(client, district.una, order, "first_contact", way="visit", note="上门查看")
    assert response.status_code == 200
    assert WorkOrder.objects.get(pk=order.pk).first_contact_at is not None


def test_invalid_input_keeps_what_was_typed(client, district):
    order = order_in(State.ACCEPTED, district)
    response = act(client, district.una, order, "request_extension", days=500, reason="等配件")
    html = response.content.decode()
    assert response.status_code == 409 or response.status_code == 422
    assert "等配件" in html
    assert WorkOrder.objects.get(pk=order.pk).extension_days is None


def test_stale_form_gets_a_conflict_message(client, district):
    order = order_in(State.REPLIED, district)
    old_version = order.version
    actions.comment(order, district.sam, text="注意答复质量")
    response = act(client, district.dan, order, "approve_reply", version=old_version)
    assert response.status_code == 409
    assert WorkOrder.objects.get(pk=order.pk).state == State.REPLIED


def test_intake_registers_and_can_answer_directly(client, district):
    client.force_login(district.olga)
    response = client.post(
        reverse("intake"),
        {
            "citizen_phone": "13900001111",
            "citizen_name": "李女士",
            "channel": "phone",
            "kind": "consultation",
            "urgency": "normal",
            "title": "居住证办理材料",
            "description": "咨询居住证办理需要哪些材料。",
            "address": "",
            "category": district.category.pk,
            "answer_text": "请携带身份证和租赁合同到社区事务受理中心办理。",
        },
    )
    order = WorkOrder.objects.get(citizen_phone="13900001111")
    assert response.status_code == 302 and order.state == State.ANSWERED
    assert order.events.count() == 2


def test_intake_error_keeps_the_form(client, district):
    client.force_login(district.olga)
    response = client.post(
        reverse("intake"),
        {
            "citizen_phone": "not a phone",
            "channel": "phone",
            "kind": "help",
            "urgency": "normal",
            "title": "噪音",
            "description": "夜间施工噪音",
        },
    )
    assert response.status_code == 200
    assert "夜间施工噪音" in response.content.decode()
    assert WorkOrder.objects.count() == 0


def test_caller_history_lists_earlier_orders(client, district):
    order = new_order(district)
    client.force_login(district.olga)
    response = client.post(reverse("caller_history"), {"citizen_phone": "13812345678"})
    assert order.number in response.content.decode()


def test_order_search_by_text_and_state(client, district):
    order = order_in(State.ACCEPTED, district)
    other = new_order(district, title="绿化带垃圾", description="小区绿化带里堆满了垃圾。")
    html = page(client, district.dan, reverse("order_list") + "?q=路灯").content.decode()
    assert order.number in html and other.number not in html
    html = page(client, district.dan, reverse("order_list") + "?state=registered").content.decode()
    assert other.number in html and order.number not in html


def test_english_interface(client, district):
    client.force_login(district.dan)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("dispatch_desk")).content.decode()
    assert "Replies to review" in html


def test_a_reopened_order_comes_back_to_the_callback_desk_after_its_new_reply(client, district):
    order = order_in(State.REVIEWED, district)
    actions.callback(order, district.cathy, resolved=False, satisfaction="dissatisfied")
    desk = reverse("callback_desk")
    assert order.number not in page(client, district.cathy, desk).content.decode()
    supervision = reverse("supervision_desk") + "?tab=dissatisfied"
    assert order.number in page(client, district.sam, supervision).content.decode()
    actions.reopen(order, district.sam, reason="市民反映仍未修好")
    actions.reply(order, district.una, result="resolved", text="已更换灯具")
    actions.approve_reply(order, district.dan)
    assert order.satisfaction == "" and order.callback_resolved is None
    assert order.number in page(client, district.cathy, desk).content.decode()


def test_units_see_nothing_of_an_anonymous_caller(client, district):
    order = new_order(district, anonymous=True)
    actions.dispatch(order, district.dan, lead_unit=district.street)
    html = page(client, district.una, reverse("order_detail", args=[order.number])).content.decode()
    assert "5678" not in html and "张先生" not in html
    html = page(client, district.dan, reverse("order_detail", args=[order.number])).content.decode()
    assert "13812345678" in html


def test_leaders_read_orders_with_the_phone_masked_like_the_exports(client, district):
    order = new_order(district, citizen_phone="13812345678")
    leader_page = page(client, district.leo, reverse("order_detail", args=[order.number]))
    assert leader_page.status_code == 200
    assert "13812345678" not in leader_page.content.decode()
    assert "*******5678" in leader_page.content.decode()
    dispatcher_page = page(client, district.dan, reverse("order_detail", args=[order.number]))
    assert "13812345678" in dispatcher_page.content.decode()
