"""An anonymous report's texts are not published: its address was withheld (the street only, no
point), but its description and, once approved, the unit's reply went out as written, the
whistle-blower's door inside them (attack report, session 23, F10). Open311 allows both to be
empty; a named report's texts are published (masked) as before."""

from __future__ import annotations

from django.test import Client

from hotline.orders import actions
from hotline.orders.models import ReplyResult, WorkOrder
from tests.open311.test_georeport import post
from tests.open311.test_partners_and_publication import key_of
from tests.open311.test_published_address import published

DOOR = "共和新路100弄3号楼201室"


def _replied_and_approved(order: WorkOrder, d) -> None:
    actions.dispatch(order, d.dan, lead_unit=d.street)
    actions.accept(order, d.una)
    actions.first_contact(order, d.una, way="phone")
    actions.reply(
        order, d.una, result=ReplyResult.RESOLVED, text=f"已到{DOOR}楼下饭店现场检查，已整改。"
    )
    actions.approve_reply(order, d.dan)


def _report(district, **fields) -> WorkOrder:
    response = post(
        Client(),
        key_of(district.olga),
        address_string=DOOR,
        description=f"匿名举报：我住{DOOR}，楼下饭店夜里排油烟",
        lat="31.27",
        long="121.45",
        **fields,
    )
    assert response.status_code == 200, response.content
    order = WorkOrder.objects.get(number=response.json()[0]["service_request_id"])
    _replied_and_approved(order, district)
    return order


def test_an_anonymous_reports_description_and_reply_are_not_published(district):
    order = _report(district, **{"attribute[anonymous]": "true"})
    assert order.anonymous
    for record in published(order.number):
        assert record["description"] is None
        assert record["status_notes"] is None
        assert "201" not in str(record) and "3号楼" not in str(record)
        # What is still public: what kind of request, where it stands, the street at most.
        assert record["service_code"] == "cxjs-szss-ldps"
        assert record["status"] == "closed" or record["status"] == "open"


def test_a_named_reports_texts_are_still_published(district):
    order = _report(district)
    assert not order.anonymous
    for record in published(order.number):
        # Published, with the flat's number masked as in a named report's address (attack,
        # session 26, F6): the road, lane and building say where; the flat says whose door.
        assert "共和新路100弄3号楼***室" in record["description"]
        assert "共和新路100弄3号楼***室" in record["status_notes"]
        assert DOOR not in str(record)
