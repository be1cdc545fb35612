"""The order page as the people who use it every day: a lost race says what happened and keeps
the input, the lead unit calls the citizen, the callback records every try, only what is possible
now is offered, and the timeline says how, what and how long. (Browser flows: tests/browser.)"""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import Action, State, WorkOrder
from hotline.security.models import PhoneView
from tests.orders.factory import new_order, order_in
from tests.web.test_order_pages import act, page


def detail(client, user, order) -> str:
    return page(client, user, reverse("order_detail", args=[order.number])).content.decode()


# --- 1. a lost race --------------------------------------------------------------------------


def test_dan_loses_a_dispatch_race_and_is_told_who_won_and_keeps_his_note(client, district):
    order = new_order(district)
    seen = order.version
    # Another tab (or dispatcher) sends it to the street first.
    actions.dispatch(order, district.dan, lead_unit=district.street)
    response = act(
        client,
        district.dan,
        order,
        "dispatch",
        version=seen,
        lead_unit=district.bureau.pk,
        co_units=[district.street.pk],
        note="请民政局核实低保情况",
    )
    assert response.status_code == 409
    html = response.content.decode()
    refused = html[html.index('data-testid="refused"') :]
    assert "派单员 dan" in refused and "江宁路街道" in refused  # who won, and where it went
    assert "请民政局核实低保情况" in refused and "区民政局" in refused  # what Dan typed
    entered = re.search(r'data-testid="your-input">(.*?)</dl>', refused, re.S).group(1)
    assert "区民政局" in entered and "江宁路街道" in entered  # Dan's lead unit and co-unit
    # The current panel: the order is at the street; redispatch opens with Dan's choice in it.
    assert 'data-state="dispatched"' in html
    redispatch = re.search(r'data-action="redispatch" open>.*?</details>', html, re.S).group(0)
    assert f'<option value="{district.bureau.pk}" selected' in redispatch
    assert f'<option value="{district.street.pk}" selected' in redispatch
    assert "请民政局核实低保情况" in redispatch
    assert WorkOrder.objects.get(pk=order.pk).lead_unit == district.street


def test_a_stale_approval_says_what_changed_and_the_form_stays_open(client, district):
    order = order_in(State.REPLIED, district)
    seen = order.version
    actions.comment(order, district.sam, text="注意答复质量")
    response = act(client, district.dan, order, "approve_reply", version=seen, note="答复完整")
    assert response.status_code == 409
    html = response.content.decode()
    assert html.count('role="alert"') == 1  # the reason, once
    assert 'data-testid="changes"' in html and "注意答复质量" in html
    assert "答复完整" in html  # kept in the still-open form
    assert WorkOrder.objects.get(pk=order.pk).state == State.REPLIED


# --- 2. the lead unit calls the citizen ------------------------------------------------------


def test_una_reveals_the_number_with_one_click_and_it_is_recorded(client, district):
    order = order_in(State.ACCEPTED, district)
    html = detail(client, district.una, order)
    assert order.masked_phone() in html and "13812345678" not in html
    assert 'data-testid="reveal-phone"' in html
    assert not PhoneView.objects.filter(order=order, user=district.una).exists()
    response = client.post(reverse("order_phone", args=[order.number]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'href="tel:13812345678"' in response.content.decode()
    seen = PhoneView.objects.get(order=order, user=district.una)
    assert seen.where == "order_page"


def test_co_units_leaders_and_anonymous_callers_stay_masked(client, district):
    order = new_order(district)
    actions.dispatch(order, district.dan, lead_unit=district.street, co_units=[district.bureau])
    for person in (district.victor, district.leo):
        html = detail(client, person, order)
        assert 'data-testid="reveal-phone"' not in html
        response = client.post(reverse("order_phone", args=[order.number]))
        assert response.status_code == 403
    anonymous = new_order(district, anonymous=True)
    actions.dispatch(anonymous, district.dan, lead_unit=district.street)
    html = detail(client, district.una, anonymous)
    assert 'data-testid="reveal-phone"' not in html and "****" not in html
    assert client.post(reverse("order_phone", args=[anonymous.number])).status_code == 403
    assert not PhoneView.objects.filter(user__in=[district.victor, district.leo, district.una])


def test_the_centre_sees_the_number_as_a_link_to_call(client, district):
    order = new_order(district)
    assert 'href="tel:13812345678"' in detail(client, district.dan, order)


# --- 4. callback -----------------------------------------------------------------------------


def test_the_callback_form_preselects_no_verdict(client, district):
    order = order_in(State.REVIEWED, district)
    html = detail(client, district.cathy, order)
    callback = re.search(r'data-action="callback".*?</details>', html, re.S).group(0)
    assert "checked" not in callback
    response = act(client, district.cathy, order, "callback", note="")
    assert response.status_code == 422
    assert WorkOrder.objects.get(pk=order.pk).state == State.REVIEWED


def test_cathy_records_failed_calls_until_the_order_closes_as_unreachable(client, district):
    order = order_in(State.REVIEWED, district)
    html = detail(client, district.cathy, order)
    assert 'data-testid="callback-attempts"' in html
    for attempt in (1, 2):
        response = act(client, district.cathy, order, "callback_attempt", outcome="not_reached")
        assert response.status_code == 200
        assert f"已回访未果 {attempt} 次，共可 3 次" in response.content.decode()
        assert f"第 {attempt} 次：未接通" in response.content.decode()  # in the timeline
    response = act(client, district.cathy, order, "callback_attempt", outcome="not_reached")
    order.refresh_from_db()
    assert order.state == State.CLOSED
    html = response.content.decode()
    assert 'data-action="close_unreachable"' in html


# --- 9. only what is possible now --------------------------------------------------------------


def test_extension_decisions_are_offered_only_while_a_request_waits(client, district):
    order = order_in(State.ACCEPTED, district)
    html = detail(client, district.dan, order)
    assert 'data-action="approve_extension"' not in html
    actions.request_extension(order, district.una, days=3, reason="需协调物业")
    html = detail(client, district.dan, order)
    assert 'data-action="approve_extension"' in html and 'data-action="reject_extension"' in html
    actions_only = detail(client, district.una, order).split('class="card timeline"')[0]
    assert 'data-action="request_extension"' not in actions_only
    response = act(client, district.dan, order, "approve_extension")
    html = response.content.decode()
    assert 'data-action="approve_extension" ' not in html.split('class="card timeline"')[0]
    assert 'data-action="reject_extension"' not in html


def test_a_refused_click_shows_its_error_once(client, district):
    order = order_in(State.ACCEPTED, district)
    actions.request_extension(order, district.una, days=3, reason="需协调物业")
    seen = order.version
    actions.approve_extension(order, district.dan)  # in another tab
    response = act(client, district.dan, order, "reject_extension", version=seen, reason="可按期")
    html = response.content.decode()
    assert response.status_code == 409
    assert html.count('role="alert"') == 1
    assert "可按期" in html


# --- 17. the timeline --------------------------------------------------------------------------


def test_the_timeline_shows_the_contact_way_the_verdict_and_extension_days(client, district):
    order = order_in(State.ACCEPTED, district)
    actions.first_contact(order, district.una, way="visit")
    actions.request_extension(order, district.una, days=3, reason="需协调物业")
    actions.approve_extension(order, district.dan)
    actions.reply(order, district.una, result="resolved", text="已修复。")
    actions.approve_reply(order, district.dan)
    actions.callback(order, district.cathy, resolved=True, satisfaction="basically_satisfied")
    html = detail(client, district.sam, order)
    timeline = html[html.index('class="card timeline"') :]
    assert "上门" in timeline  # the way of first contact
    assert "3 个工作日" in timeline
    assert "基本满意" in timeline


# --- 6 and 7. dispatching ----------------------------------------------------------------------


def test_the_unit_that_returned_the_order_is_not_suggested_again(client, district):
    order = order_in(State.RETURNED, district)  # 江宁路街道 (the category's default) returned it
    html = detail(client, district.dan, order)
    assert 'data-testid="suggestion" data-unit="jnl"' not in html


def test_unit_options_come_as_a_tree_with_pinyin_initials(client, district):
    order = new_order(district)
    html = detail(client, district.dan, order)
    lead = re.search(r'<select name="lead_unit".*?</select>', html, re.S).group(0)
    names = re.findall(r'data-initials="([a-z]+)"[^>]*>([^<]+)<', lead)
    # A sub-unit is named with its first-level unit: the centre deals with the street (8993ebb).
    assert names == [
        ("jnljd", "江宁路街道"),
        ("shhyjwh", "三和花园居委会（经 江宁路街道）"),
        ("qmzj", "区民政局"),
    ]
    assert f'data-depth="1" data-parent="{district.street.pk}"' in lead


def test_dispatch_and_open_next_goes_to_the_oldest_order_still_waiting(client, district):
    first = new_order(district)
    waiting = new_order(district, title="噪音扰民")
    response = act(
        client,
        district.dan,
        first,
        "dispatch",
        lead_unit=district.street.pk,
        open_next="派单并打开下一件",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("order_detail", args=[waiting.number])
    assert WorkOrder.objects.get(pk=first.pk).state == State.DISPATCHED
    response = act(
        client,
        district.dan,
        waiting,
        "dispatch",
        lead_unit=district.street.pk,
        open_next="派单并打开下一件",
    )
    assert response["HX-Redirect"] == reverse("dispatch_desk")
    assert Action.DISPATCH in [e.action for e in waiting.events.all()]


def test_una_acting_on_an_order_sent_elsewhere_is_told_and_keeps_her_reply(client, district):
    order = order_in(State.ACCEPTED, district)
    seen = order.version
    actions.redispatch(order, district.dan, lead_unit=district.bureau, reason="属民政职责")
    response = act(
        client, district.una, order, "reply", version=seen, result="resolved", text="已修复路灯。"
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="refused"' in html and "已修复路灯。" in html
    assert order.title not in html  # nothing more of an order that is no longer hers
    # Someone who never held the order learns nothing (not even that it exists).
    other = new_order(district)
    actions.dispatch(other, district.dan, lead_unit=district.bureau)
    assert act(client, district.una, other, "accept").status_code == 404


def test_a_stale_upload_says_what_changed(client, district):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = order_in(State.ACCEPTED, district)
    seen = order.version
    actions.urge(order, district.sam, note="请今天内答复")
    client.force_login(district.una)
    response = client.post(
        reverse("order_attach", args=[order.number]),
        {
            "version": seen,
            "file": SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0", "image/jpeg"),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="changes"' in html and "请今天内答复" in html
    assert not order.attachments.exists()
