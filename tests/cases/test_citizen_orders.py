"""The case page shows the citizen's 12345 orders — the reverse of the intake's caller history.

Mr Wang (mobile 13816200101) called 12345 about a broken street lamp on 3 March 2025, and once
more anonymously about a neighbour's noise. On 4 March he applied for a 居住证 at Wendy's window
with his mobile as his real name, and rated the visit 不满意: the 差评 became a rectification order.
Wendy sees, on his case, the rectification order at once and, when she types his number, the
lamp order he called in — his phone masked — but not the anonymous one — once he has read her
the code texted to his number (his consent, recorded on the case, holds for her for half an
hour; each listing is a recorded phone view). His number alone lists nothing: the clerk set it
(a reception ticket under any number), so it proves no one is there. A wrong number is refused.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from hotline.cases.models import Case, CaseAction, CaseEvent
from hotline.hall import actions as hall
from hotline.hall import identity
from hotline.orders import actions as orders
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel
from hotline.security.models import PhoneView, Where
from tests.cases.conftest import serve
from tests.conftest import at
from tests.hall.booking_by_code import OUTBOX, Outbox

pytestmark = pytest.mark.django_db
WANG = "13816200101"


@pytest.fixture
def wang(ct) -> Case:
    olga = ct.town.district.olga
    with time_machine.travel(at("2025-03-03 09:00"), tick=False):
        orders.register(
            olga,
            title="路灯不亮",
            description="大宁路某小区门口路灯坏了一周",
            citizen_name="王建国",
            citizen_phone=WANG,
        )
        orders.register(
            olga,
            title="邻居噪音扰民",
            description="夜间噪音",
            citizen_phone=WANG,
            anonymous=True,
        )
    ticket, case = serve(
        ct, ct.residence, at("2025-03-04 10:00"), holder_key=identity.holder_key(phone=WANG)
    )
    with time_machine.travel(at("2025-03-04 10:20"), tick=False):
        hall.finish(ticket, ct.town.wendy)
        ratings.rate(ticket, None, level=2, channel=Channel.QR, reasons=["waiting"])
    return case


def _rows(response) -> dict[str, str]:
    return {link.order.number: link.via for link in response.context["citizen_orders"]}


def test_the_case_shows_the_order_opened_from_the_citizens_bad_rating(client, ct, wang):
    client.force_login(ct.town.wendy)
    response = client.get(reverse("cases:detail", args=[wang.number]))
    assert response.status_code == 200
    assert list(_rows(response).values()) == ["rating"]


def _url(case) -> str:
    return reverse("cases:citizen_orders", args=[case.number])


def _text_code(client, case, phone=WANG, **extra):
    """Wendy types his number and texts him a code: the response and the code texted."""
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(_url(case), {"phone": phone, "step": "send"}, **extra)
    codes = [(m.recipients_phone, m.secret) for m in Outbox.sent if m.action == "case_orders_code"]
    assert len(codes) <= 1
    if codes:
        assert codes[0][0] == (phone,)
    return response, codes[0][1] if codes else ""


def _show(client, case, sent, code, phone=WANG, **extra):
    found = re.search(r'name="sending" value="([^"]+)"', sent.content.decode())
    assert found, "no code step on the page"
    data = {"phone": phone, "step": "show", "sending": found.group(1), "code": code}
    return client.post(_url(case), data, **extra)


def test_typing_his_number_alone_lists_none_of_his_orders(client, ct, wang):
    # The attack: a clerk who set the applicant's number (a reception ticket under it) types it.
    client.force_login(ct.town.wendy)
    response = client.post(_url(wang), {"phone": WANG})
    assert response.status_code == 200
    assert list(_rows(response).values()) == ["rating"]
    assert "路灯不亮" not in response.content.decode()
    assert "短信验证码" in response.context["orders_problem"]
    assert not PhoneView.objects.exists()


def test_with_the_code_he_reads_from_his_phone_she_sees_the_orders_he_called_in_masked(
    client, ct, wang
):
    client.force_login(ct.town.wendy)
    sent, code = _text_code(client, wang)
    assert code and "*******0101" in sent.content.decode()
    assert WANG not in sent.context["orders_sending"].phone_masked
    response = _show(client, wang, sent, code)
    assert response.status_code == 200
    assert not response.context.get("orders_problem")
    found = {link.order.title: link for link in response.context["citizen_orders"]}
    assert sorted(link.via for link in found.values()) == ["caller", "rating"]
    lamp = found["路灯不亮"]
    assert lamp.via == "caller" and lamp.contact.phone == "*******0101"
    assert "邻居噪音扰民" not in found  # anonymous: not the hall's to see
    html = response.content.decode()
    assert "*******0101" in html and "路灯不亮" in html
    # His consent is on the case; the listing is an audited phone view.
    consent = CaseEvent.objects.get(case=wang, action=CaseAction.ORDERS_CONSENT)
    assert consent.actor == ct.town.wendy and WANG not in str(consent.payload)
    view = PhoneView.objects.get(order=lamp.order)
    assert view.user == ct.town.wendy and view.where == Where.ORDER_SEARCH
    assert wang.number in view.detail


def test_his_consent_holds_for_a_while_for_her_then_a_new_code_is_needed(client, ct, wang):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        sent, code = _text_code(client, wang)
        _show(client, wang, sent, code)
    with time_machine.travel(at("2025-03-04 10:50"), tick=False):
        again = client.post(_url(wang), {"phone": WANG, "step": "show"})
        assert "路灯不亮" in again.content.decode()
    assert PhoneView.objects.filter(user=ct.town.wendy).count() == 2  # each listing recorded
    other = Client()
    other.force_login(ct.town.walt)  # her colleague: his consent was given to Wendy
    with time_machine.travel(at("2025-03-04 10:50"), tick=False):
        walt = other.post(_url(wang), {"phone": WANG, "step": "show"})
    assert "路灯不亮" not in walt.content.decode()
    with time_machine.travel(at("2025-03-04 11:01"), tick=False):
        late = client.post(_url(wang), {"phone": WANG, "step": "show"})
    assert "路灯不亮" not in late.content.decode()


def test_a_wrong_code_lists_nothing_and_keeps_the_code_step(client, ct, wang):
    client.force_login(ct.town.wendy)
    sent, code = _text_code(client, wang)
    wrong = "000000" if code != "000000" else "111111"
    response = _show(client, wang, sent, wrong)
    assert response.context["orders_problem"] == "验证码不正确。"
    assert 'name="code"' in response.content.decode()
    assert "路灯不亮" not in response.content.decode()
    assert not CaseEvent.objects.filter(action=CaseAction.ORDERS_CONSENT).exists()


def test_the_section_alone_comes_back_to_htmx(client, ct, wang):
    client.force_login(ct.town.wendy)
    hx = {"headers": {"HX-Request": "true"}}
    sent, code = _text_code(client, wang, **hx)
    response = _show(client, wang, sent, code, **hx)
    html = response.content.decode()
    assert 'id="citizen-orders"' in html and "<html" not in html
    assert "路灯不亮" in html


def test_a_number_that_is_not_the_applicants_is_refused_and_texted_nothing(client, ct, wang):
    client.force_login(ct.town.wendy)
    response, code = _text_code(client, wang, phone="13900000000")
    assert response.status_code == 200 and code == ""
    assert response.context["orders_problem"] == "这不是该办件登记时使用的手机号码。"
    assert list(_rows(response).values()) == ["rating"]  # what was there stays


def test_another_halls_clerk_or_a_street_handler_cannot_look(client, ct, wang):
    client.force_login(ct.town.district.una)
    response = client.post(_url(wang), {"phone": WANG, "step": "send"})
    assert response.status_code == 403


def test_an_empty_number_asks_for_one(client, ct, wang):
    client.force_login(ct.town.wendy)
    response = client.post(_url(wang), {"phone": " ", "step": "send"})
    assert response.context["orders_problem"] == "请输入申请人的手机号码。"
