"""Leo the leader reads every order but writes nothing: no comment, no attachment (issue 13,
item 6). The transition table says so, so the pages, the API and the write path all refuse; Leo's
page offers neither."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import Action
from hotline.orders.rules import NotAllowed, allowed_actions
from hotline.org.models import ApiToken
from tests.orders.factory import order_in


@pytest.fixture
def lamp(district):
    return order_in("accepted", district)


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("lamp.jpg", b"\xff\xd8\xff\xe0photo", content_type="image/jpeg")


def test_leo_may_not_comment_or_attach_through_the_write_path(district, lamp):
    with pytest.raises(NotAllowed):
        actions.comment(lamp, district.leo, text="请尽快处理")
    with pytest.raises(NotAllowed):
        actions.attach(lamp, district.leo, upload=photo())
    assert Action.COMMENT not in allowed_actions(lamp, district.leo)
    assert lamp.events.filter(actor=district.leo).count() == 0


def test_leo_cannot_comment_through_the_api(district, lamp):
    _token, raw = ApiToken.issue(district.leo, name="tests")
    response = Client(headers={"Authorization": f"Bearer {raw}"}).post(
        f"/api/v1/orders/{lamp.number}/comment",
        {"text": "请尽快处理", "version": lamp.version},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_leo_cannot_attach_on_the_page_and_is_not_offered_to(client, district, lamp):
    client.force_login(district.leo)
    response = client.post(
        reverse("order_attach", args=[lamp.number]),
        {"file": photo(), "version": lamp.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert lamp.attachments.count() == 0
    detail = client.get(reverse("order_detail", args=[lamp.number])).content.decode()
    assert reverse("order_attach", args=[lamp.number]) not in detail


def test_sam_the_supervisor_still_comments(district, lamp):
    event = actions.comment(lamp, district.sam, text="请街道今天回复")
    assert event.actor == district.sam
