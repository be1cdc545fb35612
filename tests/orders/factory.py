"""Orders in every state, made through the real actions (never by writing columns)."""

from __future__ import annotations

from hotline.orders import actions
from hotline.orders.models import ContactWay, ReplyResult, Satisfaction, State, WorkOrder
from hotline.org.models import Unit
from tests.conftest import District


def new_order(d: District, **overrides) -> WorkOrder:
    fields = {
        "title": "路灯不亮",
        "description": "江宁路昌平路口的路灯连续三晚不亮，夜里行人很不方便。",
        "citizen_name": "张先生",
        "citizen_phone": "13812345678",
        "address": "静安区江宁路 500 号",
        "category": d.category,
    }
    fields.update(overrides)
    return actions.register(d.olga, **fields)


def order_in(
    state: State, d: District, *, inside: Unit | None = None, co_units: tuple[Unit, ...] = ()
) -> WorkOrder:
    """An order brought to ``state`` by the path a real order would take; with ``inside``, Una's
    street assigns it to that sub-unit right after dispatch (二级派单) and keeps acting as the
    parent above it. ``co_units``: named with the dispatch (协办)."""
    order = new_order(d)
    if state == State.REGISTERED:
        return order
    if state == State.ANSWERED:
        actions.answer(order, d.olga, text="已告知办理流程。")
        return order
    if state == State.MERGED:
        parent = new_order(d)
        actions.merge(order, d.dan, parent=parent)
        return order
    if state == State.CANCELLED:
        actions.cancel(order, d.sam, reason="骚扰电话")
        return order
    actions.dispatch(order, d.dan, lead_unit=d.street, co_units=co_units)
    if inside is not None:
        actions.assign_inside(order, d.una, unit=inside)
    if state == State.DISPATCHED:
        return order
    actions.accept(order, d.una)
    if state == State.ACCEPTED:
        return order
    if state == State.RETURNED:
        actions.request_return(order, d.una, reason="路灯属区绿化市容局管理")
        return order
    actions.first_contact(order, d.una, way=ContactWay.PHONE)
    actions.reply(order, d.una, result=ReplyResult.RESOLVED, text="已修复。")
    if state == State.REPLIED:
        return order
    actions.approve_reply(order, d.dan)
    if state == State.REVIEWED:
        return order
    if state == State.REOPENED:
        actions.reopen(order, d.sam, reason="市民反映仍不亮")
        return order
    if state == State.CLOSED:
        actions.callback(order, d.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED)
        return order
    raise AssertionError(state)
