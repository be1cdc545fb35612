"""Files attached to orders: limits, the timeline, and who may download them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import Action, State
from hotline.orders.rules import InvalidInput, NotAllowed
from tests.orders.factory import order_in

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def test_attaching_records_an_event_and_keeps_the_file(district):
    order = order_in(State.DISPATCHED, district)
    att = actions.attach(
        order, district.una, upload=SimpleUploadedFile("现场照片.png", PNG), note="现场照片"
    )
    assert att.name == "现场照片.png" and att.size == len(PNG)
    event = order.events.last()
    assert event.action == Action.COMMENT and event.payload["attachment"] == "现场照片.png"
    assert att.event == event
    assert att.file.read() == PNG


def test_refuses_unknown_types_and_oversized_files(district):
    order = order_in(State.DISPATCHED, district)
    with pytest.raises(InvalidInput):
        actions.attach(order, district.una, upload=SimpleUploadedFile("run.exe", b"MZ"))
    with override_settings(MAX_ATTACHMENT_MB=1), pytest.raises(InvalidInput):
        actions.attach(
            order, district.una, upload=SimpleUploadedFile("big.pdf", b"0" * (1024 * 1024 + 1))
        )
    assert order.attachments.count() == 0 and order.events.count() == 2


def test_another_unit_can_neither_attach_nor_download(client, district):
    order = order_in(State.DISPATCHED, district)
    with pytest.raises(NotAllowed):
        actions.attach(order, district.victor, upload=SimpleUploadedFile("a.png", PNG))
    att = actions.attach(order, district.una, upload=SimpleUploadedFile("a.png", PNG))
    url = reverse("attachment_download", args=[order.number, att.pk])
    client.force_login(district.victor)
    assert client.get(url).status_code == 404
    client.force_login(district.dan)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG


def test_upload_from_the_order_page(client, district):
    order = order_in(State.ACCEPTED, district)
    client.force_login(district.una)
    response = client.post(
        reverse("order_attach", args=[order.number]),
        {"file": SimpleUploadedFile("回执.pdf", b"%PDF-1.4 test"), "version": order.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "回执.pdf" in response.content.decode()
    assert order.attachments.count() == 1
