"""An action pressed on the order page before htmx has run (a slow phone network, script off):
the browser posts the form itself and shows what comes back as the page. It showed the bare
order panel, without layout or styles, though the action was done (h2, session 26). Now a done
action goes back to the order page (or where the order's new place is), which says what was
done; a refused one is the whole order page saying why, with what was typed. htmx still gets
the panel alone."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import Action, State, WorkOrder
from tests.conftest import at
from tests.orders.factory import new_order, order_in

WHOLE_PAGE = "<!doctype html>"


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(at("2026-12-07 09:30"), tick=False):
        yield


def pressed(client, user, order, action, **data):
    """The form as the browser posts it without htmx: no HX-Request header."""
    client.force_login(user)
    data.setdefault("version", order.version)
    return client.post(reverse("order_act", args=[order.number, action]), data)


def test_una_signs_for_an_order_before_htmx_ran_and_sees_the_order_page_say_so(client, district):
    order = order_in(State.DISPATCHED, district)
    response = pressed(client, district.una, order, "accept")

    assert response.status_code == 302
    assert response["Location"] == reverse("order_detail", args=[order.number])
    page = client.get(response["Location"]).content.decode()
    assert page.startswith(WHOLE_PAGE) and "hotline/app.css" in page
    assert "签收：已完成。" in page
    assert WorkOrder.objects.get(pk=order.pk).state == State.ACCEPTED
    # The message was shown once: reloading the page neither repeats it nor posts again.
    again = client.get(response["Location"]).content.decode()
    assert "签收：已完成。" not in again
    assert order.events.filter(action=Action.ACCEPT).count() == 1


def test_with_htmx_una_still_gets_the_panel_alone(client, district):
    order = order_in(State.DISPATCHED, district)
    client.force_login(district.una)
    response = client.post(
        reverse("order_act", args=[order.number, "accept"]),
        {"version": order.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="order-panel"') and WHOLE_PAGE not in html
    assert "签收：已完成。" in html


def test_a_refused_reply_is_the_whole_page_saying_why_with_what_una_typed(client, district):
    order = order_in(State.ACCEPTED, district)
    seen = order.version
    actions.urge(order, district.sam, note="请今天内答复")
    response = pressed(
        client, district.una, order, "reply", version=seen, result="resolved", text="已修复路灯。"
    )

    # Back to the order page (post/redirect/get, session 27): the address bar no longer keeps
    # /act/reply, which a reload posted again and which answered 405 when opened.
    assert response.status_code == 302
    assert response["Location"] == reverse("order_detail", args=[order.number])
    page = client.get(response["Location"]).content.decode()
    assert page.startswith(WHOLE_PAGE) and "hotline/app.css" in page
    assert 'data-testid="changes"' in page and "请今天内答复" in page  # why
    assert "已修复路灯。" in page  # what she typed is kept
    assert "HX-Reswap" not in response.headers
    assert WorkOrder.objects.get(pk=order.pk).state == State.ACCEPTED
    # Said once: the page reloaded is the order as it is.
    again = client.get(response["Location"]).content.decode()
    assert 'data-testid="changes"' not in again and "已修复路灯。" not in again


def test_an_order_sent_elsewhere_meanwhile_is_said_on_a_whole_page(client, district):
    order = order_in(State.ACCEPTED, district)
    seen = order.version
    actions.redispatch(order, district.dan, lead_unit=district.bureau, reason="属民政职责")
    response = pressed(
        client, district.una, order, "reply", version=seen, result="resolved", text="已修复路灯。"
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert page.startswith(WHOLE_PAGE)
    assert f"工单 {order.number} 已转至其他单位，不再由您办理。" in page
    assert "已修复路灯。" in page


def test_nina_hands_an_order_back_up_and_lands_in_her_inbox(client, district):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    response = pressed(client, d.una_nb, order, "hand_back", reason="不在本居委会辖区")

    assert response.status_code == 302 and response["Location"] == reverse("unit_inbox")
    inbox = client.get(response["Location"]).content.decode()
    assert f"退回上级：已完成。工单 {order.number} 现由江宁路街道办理。" in inbox


def test_dan_dispatches_and_opens_the_next_order_without_htmx(client, district):
    first = new_order(district)
    waiting = new_order(district, title="噪音扰民")
    response = pressed(
        client, district.dan, first, "dispatch", lead_unit=district.street.pk, open_next="1"
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("order_detail", args=[waiting.number])
    assert f"{first.number} 已派单。" in client.get(response["Location"]).content.decode()
    assert WorkOrder.objects.get(pk=first.pk).state == State.DISPATCHED


def test_una_attaches_a_file_without_htmx(client, district):
    order = order_in(State.ACCEPTED, district)
    client.force_login(district.una)
    url = reverse("order_attach", args=[order.number])
    receipt = SimpleUploadedFile("回执.pdf", b"%PDF-1.4 test")

    response = client.post(url, {"file": receipt, "version": order.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("order_detail", args=[order.number])
    assert "已上传 回执.pdf。" in client.get(response["Location"]).content.decode()
    assert order.attachments.count() == 1

    # No file chosen: the whole page, saying so.
    order.refresh_from_db()
    response = client.post(url, {"version": order.version})
    # Back to the order page, which says so (post/redirect/get, session 27).
    assert response.status_code == 302
    assert response["Location"] == reverse("order_detail", args=[order.number])
    page = client.get(response["Location"]).content.decode()
    assert page.startswith(WHOLE_PAGE) and "请选择要上传的文件。" in page
