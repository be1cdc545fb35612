"""Citizens' phone numbers: whole for the hotline centre, masked for units, in pages, the API,
exports and logs; every unmasked look is recorded (who, when, which order, where)."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from hotline.orders.models import mask_phone
from hotline.orders.notify import LoggingNotifier, Message
from hotline.org.models import ApiToken
from hotline.security.gunicorn import MaskedAccessLogger
from hotline.security.masking import MaskPhonesFilter, mask_text
from hotline.security.models import PhoneView, Where
from tests.api.conftest import ApiClient
from tests.orders.factory import new_order

PHONE = "13812345678"


def api_as(user) -> ApiClient:
    return ApiClient(ApiToken.issue(user, name="tests")[1])


@pytest.fixture
def lamp(district):
    """Mr Zhang's broken street lamp, dispatched to 江宁路街道 (Una's unit)."""
    from hotline.orders import actions

    order = new_order(district, citizen_phone=PHONE)
    actions.dispatch(order, district.dan, lead_unit=district.street)
    return order


def test_dispatcher_sees_the_number_and_the_look_is_recorded(client, district, lamp):
    client.force_login(district.dan)
    html = client.get(reverse("order_detail", args=[lamp.number])).content.decode()
    assert PHONE in html
    view = PhoneView.objects.get()
    assert (view.user, view.order, view.where) == (district.dan, lamp, Where.ORDER_PAGE)
    assert view.path == f"/orders/{lamp.number}/" and view.client == "127.0.0.1"


def test_unit_handler_sees_it_masked_and_nothing_is_recorded(client, district, lamp):
    client.force_login(district.una)
    html = client.get(reverse("order_detail", args=[lamp.number])).content.decode()
    assert PHONE not in html and "*******5678" in html
    assert not PhoneView.objects.exists()


def test_the_api_records_each_order_shown_whole(district, lamp):
    assert api_as(district.dan).get(f"/orders/{lamp.number}").json()["citizen_phone"] == PHONE
    assert api_as(district.dan).get("/orders").status_code == 200
    assert api_as(district.una).get(f"/orders/{lamp.number}").json()["citizen_phone"] == (
        "*******5678"
    )
    assert sorted(PhoneView.objects.values_list("where", "user__username")) == [
        (Where.API_LIST, "dan"),
        (Where.API_ORDER, "dan"),
    ]


def test_registering_through_the_api_records_the_answer_with_the_number(district):
    body = {"title": "噪音扰民", "description": "夜间施工", "citizen_phone": PHONE}
    number = api_as(district.olga).post("/orders", body).json()["number"]
    assert PhoneView.objects.get().order.number == number


def test_an_action_through_the_api_records_the_order_it_returns(district, lamp):
    response = api_as(district.dan).post(f"/orders/{lamp.number}/urge", {"note": "请尽快"})
    assert response.status_code == 200
    assert PhoneView.objects.get().where == Where.API_ACTION


def test_caller_history_at_intake_records_the_orders_it_lists(client, district, lamp):
    client.force_login(district.olga)
    client.post(reverse("caller_history"), {"citizen_phone": PHONE})
    assert list(PhoneView.objects.values_list("order", "where")) == [
        (lamp.pk, Where.CALLER_HISTORY)
    ]


def test_searching_orders_by_phone_records_the_orders_found(client, district, lamp):
    client.force_login(district.dan)
    client.post(reverse("order_list"), {"phone": PHONE}, follow=True)
    assert PhoneView.objects.get().where == Where.ORDER_SEARCH
    client.get(reverse("order_list"), {"q": "路灯"})  # a search without a number discloses none
    assert PhoneView.objects.count() == 1


def test_the_record_is_append_only(client, district, lamp):
    client.force_login(district.dan)
    client.get(reverse("order_detail", args=[lamp.number]))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        PhoneView.objects.all().delete()
    with pytest.raises(ValidationError):
        PhoneView.objects.get().save()


def test_the_admin_shows_the_record_read_only(client, district, lamp):
    district.ada.is_staff = district.ada.is_superuser = True
    district.ada.save()
    client.force_login(district.dan)
    client.get(reverse("order_detail", args=[lamp.number]))
    client.force_login(district.ada)
    page = client.get("/admin/security/phoneview/")
    assert page.status_code == 200 and lamp.number in page.content.decode()
    assert client.get("/admin/security/phoneview/add/").status_code == 403


def test_history_export_masks_on_request_and_records_a_full_export(district, lamp):
    out = io.StringIO()
    call_command("export_history", "--mask-phones", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue().splitlines()[0])["citizen_phone"] == "*******5678"
    assert not PhoneView.objects.exists()
    out = io.StringIO()
    call_command("export_history", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue().splitlines()[0])["citizen_phone"] == PHONE
    export = PhoneView.objects.get()
    assert export.where == Where.EXPORT and export.user is None
    assert export.detail.startswith("export-history: 1 orders")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("市民13812345678来电", "市民*******5678来电"),
        ("+86 13912345678", "+86 *******5678"),
        ("座机021-62345678", "座机***-****5678"),
        ("工单20230309-000123", "工单20230309-000123"),  # order numbers stay readable
        ("/api/v1/orders?phone=13812345678&limit=20", "/api/v1/orders?phone=*******5678&limit=20"),
    ],
)
def test_phone_numbers_in_text_are_masked_and_order_numbers_are_not(text, masked):
    assert mask_text(text) == masked


def test_masking_in_text_agrees_with_the_order_pages():
    for phone in ("13812345678", "02162345678", "01012345678"):
        assert mask_text(phone) == mask_phone(phone)


def test_notification_logs_mask_a_number_in_the_title(caplog):
    handler_filter = MaskPhonesFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.INFO, logger="hotline.notify"):
            LoggingNotifier().send(
                Message("20230309-000001", "dispatch", "江宁路街道", (), (), "13812345678反映路灯")
            )
    finally:
        caplog.handler.removeFilter(handler_filter)
    assert "13812345678" not in caplog.text and "*******5678" in caplog.text


def test_the_console_log_handler_masks_phones():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["filters"] == ["mask_phones"]
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    record = logging.LogRecord("hotline.worker", logging.INFO, "", 0, "call %s", (PHONE,), None)
    assert handler.filter(record)
    assert record.getMessage() == "call *******5678"


def test_the_access_log_masks_numbers_in_searched_urls():
    from gunicorn.config import Config

    logger = MaskedAccessLogger(Config())

    class Response:
        status, sent, headers = "200 OK", 10, []

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/intake/caller-history?citizen_phone=13812345678",
        "PATH_INFO": "/intake/caller-history",
        "QUERY_STRING": "citizen_phone=13812345678",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    import datetime as dt

    atoms = logger.atoms(Response(), {}, environ, dt.timedelta(milliseconds=5))
    assert "13812345678" not in json.dumps(atoms)
    assert atoms["q"] == "citizen_phone=*******5678"


@pytest.mark.parametrize(("who", "recorded"), [("dan", True), ("leo", False), ("una", False)])
def test_an_orders_export_with_whole_numbers_is_recorded(district, lamp, tmp_path, who, recorded):
    """Dan (dispatcher) exports numbers whole: one record. Leo (leader) and Una (unit) get them
    masked: nothing to record."""
    out = tmp_path / "orders.csv"
    call_command(
        "export_data", "orders", "--out", str(out), "--user", who,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert (PHONE in out.read_text(encoding="utf-8-sig")) is recorded
    views = PhoneView.objects.all()
    expected = [(who, Where.EXPORT)] if recorded else []
    assert [(v.user.username, v.where) for v in views] == expected
    if recorded:
        assert views.get().detail.startswith("export-data orders: 1 rows")


def test_a_traceback_in_the_log_has_its_phone_numbers_masked():
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    try:
        raise ValueError(f"bad caller {PHONE}")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "hotline.worker", logging.ERROR, "", 0, "worker failed", (), sys.exc_info()
        )
    assert handler.filter(record)
    text = handler.format(record)
    assert "ValueError: bad caller *******5678" in text and PHONE not in text
