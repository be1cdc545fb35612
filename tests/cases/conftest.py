"""The hall of tests/hall with a checklist and a bundle, and a helper that serves a citizen.

- 居住证办理 (jzz) is promised in 5 working days, one declared visit; it asks for 居民身份证
  (original), 居住登记表 and 房屋租赁合同 (copy), all essential, and a 近期照片 (secondary: may
  be promised under 容缺).
- 社会团体 三联办 (stt-3) bundles 章程核准, 变更登记 and 有效期延续: each asks for 法定代表人身份证
  and the 登记证书 (written differently by each unit), so the bundle asks for them once.
- Wendy serves at window 1 (which serves all of them); Hugo is the hall manager; Walt, at
  window 2, is another clerk of the hall; Una (a street's handler) has no business here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from hotline.cases.models import Case
from hotline.hall import actions as hall
from hotline.hall.models import Ticket, Window, WindowMatter
from hotline.matters.models import Bundle, HandlingKind, Material, MaterialForm, Matter
from tests.hall.conftest import HallTown, make_hall


@dataclass
class CaseTown:
    town: HallTown
    residence: Matter
    charter: Matter
    change: Matter
    renewal: Matter
    bundle: Bundle


def _material(matter: Matter, name: str, order: int, **kw) -> Material:
    return Material.objects.create(matter=matter, name=name, sort_order=order, **kw)


def make_case_town(district) -> CaseTown:
    town = make_hall(district)
    residence = town.residence
    Matter.objects.filter(pk=residence.pk).update(
        kind=HandlingKind.PROMISED, promised_days=5, statutory_days=15, visits=1
    )
    residence.refresh_from_db()
    # make_hall already put 居民身份证 on the list (original, essential).
    _material(residence, "居住登记表", 2)
    _material(residence, "房屋租赁合同", 3, form=MaterialForm.COPY)
    _material(residence, "近期照片", 4, required=False, copies=2)
    made = []
    for code, name, cert in [
        ("stt-zc", "社会团体章程核准", "社会团体法人登记证书（正本）"),
        ("stt-bg", "社会团体变更登记", "社会团体法人登记证书"),
        ("stt-yq", "社会团体有效期延续", "社会团体法人登记证书 (副本)"),
    ]:
        matter = Matter.objects.create(
            code=code,
            name=name,
            kind=HandlingKind.PROMISED,
            promised_days=10,
            visits=1,
            queue_group="C",
        )
        _material(matter, "法定代表人身份证", 1, form=MaterialForm.COPY)
        _material(matter, cert, 2)
        WindowMatter.objects.create(window=town.w1, matter=matter, weight=1)
        made.append(matter)
    _material(made[0], "章程草案", 3)
    _material(made[1], "变更登记申请表", 3)
    bundle = Bundle.objects.create(code="stt-3", name="社会团体三联办")
    bundle.matters.set(made)
    return CaseTown(town, residence, made[0], made[1], made[2], bundle)


@pytest.fixture
def ct(district) -> CaseTown:
    return make_case_town(district)


def serve(
    ct: CaseTown,
    matter: Matter,
    when: dt.datetime,
    *,
    holder_key: str = "",
    holder_name: str = "",
    window: Window | None = None,
    holder_seen: bool = True,
) -> tuple[Ticket, Case]:
    """A citizen takes a ticket, Wendy calls and starts serving them at ``when``: the case.

    A ticket taken under a number at the kiosk is no proof it is theirs; ``holder_seen`` (the
    default): Wendy saw their ID and confirmed it as she started, as for a returning citizen."""
    window = window or ct.town.w1
    with time_machine.travel(when, tick=False):
        for busy in Ticket.objects.filter(window=window, state__in=["called", "serving"]):
            hall.finish(busy, ct.town.wendy)
        ticket = hall.issue(ct.town.hall, matter, holder_key=holder_key, holder_name=holder_name)
        if window.clerk_id != ct.town.wendy.pk:
            hall.sign_in(window, ct.town.wendy)
            window.refresh_from_db()
        hall.call_ticket(window, ct.town.wendy, ticket, reason="测试")
        hall.start(ticket, ct.town.wendy, holder_seen=holder_seen)
    case = Case.objects.filter(events__ticket=ticket).distinct().order_by("pk").first()
    assert case is not None
    return ticket, case


def finish(ct: CaseTown, ticket: Ticket, when: dt.datetime) -> None:
    with time_machine.travel(when, tick=False):
        hall.finish(ticket, ct.town.wendy)
