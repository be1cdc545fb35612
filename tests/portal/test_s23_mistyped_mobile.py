"""A mobile number with a digit missing or one too many is refused where a contact number is
typed (the portal, the hall's forms, intake's one write path), with a message saying what is
wrong and the typed fields kept; the portal's confirmation shows the number the unit will call
(h5, session 23, H1)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.translation import override

from hotline.hall.models import AppointmentSlot
from hotline.hall.views.booking import BookForm
from hotline.orders import actions
from hotline.orders.models import WorkOrder
from hotline.orders.rules import InvalidInput
from tests.portal.test_portal import submit, submitted_number, track


@pytest.fixture
def citizen() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("typed", ["1391234567", "139 1234 567", "139123456789", "+86 1391234567"])
def test_a_mobile_number_a_digit_short_or_long_is_refused(district, citizen, typed):
    response = submit(
        citizen,
        district,
        phone=typed,
        address="静安区延长路 100 弄",
        description="三和花园门口的路灯一直不亮，晚上很黑。",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "A mobile number has 11 digits; this one has" in page
    # What was typed stays on the form, the number too, to be corrected.
    assert "静安区延长路 100 弄" in page
    assert "三和花园门口的路灯一直不亮，晚上很黑。" in page
    assert f'value="{typed}"' in page
    assert not WorkOrder.objects.exists()


def test_the_refusal_is_in_chinese_by_default(district):
    page = submit(Client(), district, phone="1391234567").content.decode()
    assert "手机号码应为11位，您填写的是10位，请核对。" in page


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("13912345678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("021-62345678", "02162345678"),
        ("0571 8765 4321", "057187654321"),
        ("6234 5678", "62345678"),
    ],
)
def test_mobile_numbers_and_landlines_are_still_accepted(district, citizen, typed, stored):
    number = submitted_number(citizen, submit(citizen, district, phone=typed))
    assert WorkOrder.objects.get(number=number).citizen_phone == stored


def test_the_confirmation_shows_the_number_the_unit_will_call(district, citizen):
    response = submit(citizen, district, phone="139 1234 5678")
    page = citizen.get(response["Location"]).content.decode()
    assert "The unit handling it will contact you on <strong>*******5678</strong>." in page
    assert "13912345678" not in page


def test_a_landline_is_shown_by_its_last_four(district):
    zh = Client()
    response = submit(zh, district, phone="021-62345678")
    page = zh.get(response["Location"]).content.decode()
    assert "承办单位将通过 <strong>*******5678</strong> 与您联系" in page


def test_an_order_registered_under_a_typo_can_still_be_tracked(district, citizen):
    # Registered before the check existed (or by a path that did not check): its citizen
    # knows it only by the number they typed.
    order = actions.register(
        district.olga, title="路灯不亮", description="路灯一直不亮，晚上很黑。"
    )
    WorkOrder.objects.filter(pk=order.pk).update(citizen_phone="1391234567")
    page = track(citizen, order.number, "1391234567").content.decode()
    assert "No request matches" not in page
    assert order.number in page


def test_the_operators_intake_refuses_it_too(district):
    with override("en"), pytest.raises(InvalidInput) as refused:
        actions.register(
            district.olga,
            title="路灯不亮",
            description="路灯一直不亮，晚上很黑。",
            citizen_phone="1391234567",
        )
    assert refused.value.field == "citizen_phone"
    assert "A mobile number has 11 digits; this one has 10." in str(refused.value.message)


def test_the_operators_intake_page_keeps_what_was_typed(district):
    olga = Client(HTTP_ACCEPT_LANGUAGE="en")
    olga.force_login(district.olga)
    response = olga.post(
        "/intake/",
        {
            "citizen_phone": "1391234567",
            "channel": "phone",
            "kind": "help",
            "urgency": "normal",
            "title": "路灯不亮",
            "description": "三和花园门口的路灯一直不亮，晚上很黑。",
            "address": "静安区延长路 100 弄",
            "category": district.category.pk,
        },
    )
    page = response.content.decode()
    assert "A mobile number has 11 digits; this one has 10." in page
    assert "静安区延长路 100 弄" in page
    assert not WorkOrder.objects.exists()


def test_the_halls_forms_share_the_check():
    form = BookForm(AppointmentSlot.objects.none(), {"phone": "1391234567", "name": "张三"})
    assert not form.is_valid()
    assert "手机号码应为11位，您填写的是10位" in str(form.errors["phone"])
