"""A district's dispatch history made through the real actions.

The six units of :mod:`tests.dispatch.synthetic` become bureaus ``b0``…``b5`` under their own
names; complaints about a unit's issues are dispatched to it by Dan.
"""

from __future__ import annotations

import random

from hotline.orders import actions
from hotline.orders.models import ReplyResult, WorkOrder
from hotline.org.models import PeerGroup, Role, Unit, UnitKind, User
from tests.conftest import District, make_user
from tests.dispatch import synthetic

CODES = {name: f"b{i}" for i, name in enumerate(synthetic.UNITS)}


def make_units() -> dict[str, Unit]:
    """The six bureaus, by code."""
    return {
        code: Unit.objects.create(
            code=code, name=name, kind=UnitKind.BUREAU, peer_group=PeerGroup.BUREAUS
        )
        for name, code in CODES.items()
    }


def register(d: District, text: str, **fields) -> WorkOrder:
    title, _sep, _rest = text.partition("，")
    return actions.register(
        d.olga,
        title=title[:200] or text,
        description=text,
        citizen_phone="13800000000",
        category=d.category,
        **fields,
    )


def complaint_for(code: str, seed: int) -> str:
    name = next(n for n, c in CODES.items() if c == code)
    return synthetic.complaint(name, random.Random(seed))


def handler(unit: Unit) -> User:
    """The unit's handler (one per unit, made on first use)."""
    user = User.objects.filter(unit=unit, role_grants__role=Role.UNIT_HANDLER).first()
    return user or make_user(f"handler-{unit.code}", unit, Role.UNIT_HANDLER)


def kept(order: WorkOrder) -> WorkOrder:
    """The unit holding the order (its sub-unit inside, else its lead unit) signs for it and
    replies: it has kept the order, which now teaches the model its unit."""
    holder = handler(order.assigned_unit or order.lead_unit)
    actions.accept(order, holder)
    actions.reply(order, holder, result=ReplyResult.RESOLVED, text="已处理")
    return order


def dispatched_history(d: District, units: dict[str, Unit], per_unit: int) -> list[WorkOrder]:
    """``per_unit`` complaints per bureau, each dispatched to its bureau, which replied."""
    orders = []
    for code, unit in units.items():
        for i in range(per_unit):
            order = register(d, complaint_for(code, seed=hash((code, i)) % 10_000))
            actions.dispatch(order, d.dan, lead_unit=unit)
            orders.append(kept(order))
    return orders
