"""The corrections report flags near-identical orders that ended with different units, so an
administrator can fix the rule (权责清单) or the taxonomy."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.management import call_command
from django.utils import timezone

from hotline import clock
from hotline.dispatch import conflicts
from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from tests.dispatch.history import complaint_for, kept, register

LIFT = "小区电梯经常故障，上周又困人了，物业一直不修，请相关部门督促维修。"
# The same complaint in Traditional characters, with a few words more: still near-identical.
LIFT_TRADITIONAL = "小區電梯經常故障，上週又困人了，物業一直不修，請相關部門盡快督促維修！"


def dispatched(d, text, unit):
    """Sent to ``unit``, which kept it (replied)."""
    order = register(d, text)
    actions.dispatch(order, d.dan, lead_unit=unit)
    return kept(order)


def test_near_identical_orders_kept_by_different_units_are_listed(district, units):
    d = district
    first = dispatched(d, LIFT, units["b3"])
    second = dispatched(d, LIFT_TRADITIONAL, units["b3"])
    # Dan sent the third to the bureau first, then the bureau's neighbour kept it.
    third = register(d, LIFT)
    actions.dispatch(third, d.dan, lead_unit=units["b3"])
    actions.redispatch(third, d.dan, lead_unit=units["b1"], reason="交通局说归他们")
    kept(third)
    # Different complaints with different units are no conflict.
    dispatched(d, complaint_for("b4", seed=1), units["b4"])
    dispatched(d, complaint_for("b5", seed=2), units["b5"])

    found = conflicts.find()

    assert found["orders"] == 5 and found["pairs"] == 2
    (entry,) = found["units"]
    assert entry["units"] == ["b1", "b3"] and entry["pairs"] == 2
    assert entry["orders"] == {"b1": 1, "b3": 2}
    listed = {tuple(e["orders"]) for e in entry["examples"]}
    assert listed == {(third.number, first.number), (third.number, second.number)}
    assert all(e["similarity"] >= 0.9 for e in entry["examples"])


def test_old_orders_are_left_out(district, units):
    d = district
    old = dispatched(d, LIFT, units["b3"])
    dispatched(d, LIFT, units["b1"])
    WorkOrder.objects.filter(pk=old.pk).update(
        registered_at=clock.now() - dt.timedelta(days=conflicts.DAYS + 1)
    )
    assert conflicts.find()["pairs"] == 0


def test_the_report_command_lists_the_conflicts(district, units):
    d = district
    a = dispatched(d, LIFT, units["b3"])
    b = dispatched(d, LIFT, units["b1"])

    out = io.StringIO()
    call_command("dispatch", "report", "--json", stdout=out)
    assert json.loads(out.getvalue())["conflicts"]["units"][0]["units"] == ["b1", "b3"]

    text = io.StringIO()
    call_command("dispatch", "report", stdout=text)  # the hotline's language, zh-Hans
    assert f"b1 ↔ b3：1 对（b1：1 件工单，b3：1 件工单），例如 {b.number} / {a.number}" in (
        text.getvalue()
    )


def test_repeat_calls_are_counted_pair_by_pair(district, units):
    # One event, many identical calls: twelve kept by the bureau, eight by its neighbour.
    for _ in range(12):
        dispatched(district, LIFT, units["b3"])
    for _ in range(8):
        dispatched(district, LIFT, units["b1"])

    (entry,) = conflicts.find()["units"]

    assert entry["pairs"] == 12 * 8 and entry["orders"] == {"b1": 8, "b3": 12}
    assert len(entry["examples"]) == conflicts.EXAMPLES


SQUARE_DANCE = (
    "来电人反映：{place}中心绿地中午12点左右有人跳广场舞，音响开得很大，家里老人和小孩无法休息。"
    "诉求：希望相关部门上门协调处理。"
)


def test_the_same_complaint_in_two_streets_kept_by_each_street_is_no_conflict(district, units):
    """On the demo the report listed 广场舞音响声音过大 at 青云路小区 (宝山路街道) against the
    same at 灵石苑 (大宁路街道): the territory sends them apart, not the taxonomy, and nothing
    there can be fixed. Kept by another kind of unit, the same text still is a conflict."""
    from hotline.org.models import PeerGroup, Unit, UnitKind

    d = district
    other = Unit.objects.create(
        code="bsl", name="宝山路街道", kind=UnitKind.STREET, peer_group=PeerGroup.STREETS
    )
    here = register(d, SQUARE_DANCE.format(place="灵石苑"), street=d.street)
    actions.dispatch(here, d.dan, lead_unit=d.street)
    kept(here)
    there = register(d, SQUARE_DANCE.format(place="青云路小区"), street=other)
    actions.dispatch(there, d.dan, lead_unit=other)
    kept(there)
    assert conflicts.find()["pairs"] == 0

    # Kept by the 居委会 under the order's own street: still where it happened, so no conflict
    # with the other street's order; against its own street's, one as before (a street and
    # its 居委会 keeping the same complaint).
    inside = register(d, SQUARE_DANCE.format(place="灵石苑"), street=d.street)
    actions.dispatch(inside, d.dan, lead_unit=d.street)
    actions.assign_inside(inside, d.una, unit=d.neighbourhood)
    kept(inside)
    found = conflicts.find()
    assert [(e["units"], e["pairs"]) for e in found["units"]] == [(["jnl", "jnl-01"], 1)]

    # The same complaint kept by a bureau: a conflict with both streets' orders.
    bureau = register(d, SQUARE_DANCE.format(place="灵石苑"), street=d.street)
    actions.dispatch(bureau, d.dan, lead_unit=units["b3"])
    kept(bureau)
    found = conflicts.find()
    listed = {tuple(entry["units"]): entry["pairs"] for entry in found["units"]}
    assert listed == {("b3", "bsl"): 1, ("b3", "jnl"): 1, ("b3", "jnl-01"): 1, ("jnl", "jnl-01"): 1}


def test_a_long_period_costs_what_its_newest_orders_cost(district, units, monkeypatch):
    """The report read every kept order of the period — its final units, then one ``IN`` list
    of them all — before its cap: ten years of a district took seconds, or failed past the
    database's parameter limit. It reads the newest orders a chunk at a time until the cap."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    d = district
    monkeypatch.setattr(conflicts, "CHUNK", 2)
    now = clock.now()

    def history(n, start):
        for i in range(n):
            order = dispatched(d, complaint_for("b4", seed=start + i), units["b4"])
            WorkOrder.objects.filter(pk=order.pk).update(
                registered_at=now - dt.timedelta(days=start + i)
            )

    history(6, start=1)
    with CaptureQueriesContext(connection) as short:
        found = conflicts.find(max_orders=3, now=now)
    history(10, start=7)  # years more of history in the period
    with CaptureQueriesContext(connection) as long:
        again = conflicts.find(max_orders=3, now=now)

    assert found["orders"] == again["orders"] == 3
    assert found["capped"] and again["capped"]
    newest_three = WorkOrder.objects.order_by("-registered_at")[2].registered_at
    assert again["from"] == timezone.localtime(newest_three).date().isoformat()
    assert len(long) == len(short)
    # Each chunk's ids are one short list, not every order of the period.
    assert max(sql["sql"].count(",") for sql in long.captured_queries) < 20

    whole = conflicts.find(max_orders=100, now=now)
    assert whole["orders"] == 16 and not whole["capped"]


def test_final_units_of_many_orders_are_read_a_chunk_at_a_time(district, units, monkeypatch):
    from hotline.dispatch import services

    d = district
    orders = [
        dispatched(d, complaint_for(u, seed=i), units[u])
        for i, u in enumerate(["b1", "b3", "b4", "b5", "b1"])
    ]
    everything = services.final_units()
    monkeypatch.setattr(services, "ID_CHUNK", 2)
    assert services.final_units([o.pk for o in orders]) == everything
    assert services.final_units([orders[1].pk]) == {orders[1].pk: "b3"}


def test_closed_history_without_a_unit_is_not_said_cut_by_the_cap(district, units):
    """The flag counted every older order in a kept state — history imported closed, with no
    unit's event, too — so the report said the cap cut the period when every order it would
    have read was compared."""
    d = district
    now = clock.now()
    for i in range(3):
        order = dispatched(d, complaint_for("b4", seed=i), units["b4"])
        WorkOrder.objects.filter(pk=order.pk).update(registered_at=now - dt.timedelta(days=1 + i))
    for i in range(4):  # imported closed: never sent to a unit, nothing to learn from
        order = register(d, complaint_for("b5", seed=10 + i))
        WorkOrder.objects.filter(pk=order.pk).update(
            state=State.CLOSED, registered_at=now - dt.timedelta(days=10 + i)
        )

    found = conflicts.find(max_orders=3, now=now)
    assert found["orders"] == 3 and not found["capped"]
    assert not conflicts.find(max_orders=0, now=now)["orders"]

    older = dispatched(d, complaint_for("b1", seed=20), units["b1"])  # one it would have read
    WorkOrder.objects.filter(pk=older.pk).update(registered_at=now - dt.timedelta(days=20))
    found = conflicts.find(max_orders=3, now=now)
    assert found["orders"] == 3 and found["capped"]
    assert conflicts.find(max_orders=4, now=now)["capped"] is False


def test_each_chunk_costs_two_queries_and_the_units_are_read_once(district, units, monkeypatch):
    """final_units read every unit's code and the chunk's states again for each chunk of 900
    orders that the report had just read with their states: four queries a chunk, the units
    table once a chunk. The codes are read once per report; a chunk is its orders and their
    events."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    d = district
    monkeypatch.setattr(conflicts, "CHUNK", 2)
    now = clock.now()

    def history(n, start):
        for i in range(n):
            order = dispatched(d, complaint_for("b4", seed=start + i), units["b4"])
            WorkOrder.objects.filter(pk=order.pk).update(
                registered_at=now - dt.timedelta(days=start + i)
            )

    history(4, start=1)  # three chunks: 2, 2 and the empty one that ends the walk
    with CaptureQueriesContext(connection) as short:
        assert conflicts.find(now=now)["orders"] == 4
    history(8, start=5)  # seven chunks
    with CaptureQueriesContext(connection) as long:
        assert conflicts.find(now=now)["orders"] == 12

    def reads_units(queries):
        return [q for q in queries if 'FROM "org_unit"' in q["sql"]]

    assert len(reads_units(long.captured_queries)) == len(reads_units(short.captured_queries))
    assert len(long) - len(short) == 2 * (7 - 3)


def test_the_command_s_report_says_when_the_cap_cut_the_period(district, units, monkeypatch):
    from django.utils import translation

    d = district
    dispatched(d, LIFT, units["b3"])
    dispatched(d, LIFT, units["b1"])
    text = io.StringIO()
    call_command("dispatch", "report", stdout=text)
    assert "only the newest" not in text.getvalue() and "仅比对了" not in text.getvalue()

    monkeypatch.setattr(conflicts, "MAX_ORDERS", 1)
    for language, said in (
        ("en", "only the newest 1, registered from"),
        ("zh-hans", "仅比对了最新的1件"),
    ):
        text = io.StringIO()
        with translation.override(language):
            call_command("dispatch", "report", stdout=text)
        assert said in text.getvalue()


def test_the_same_complaint_in_two_neighbourhoods_each_kept_by_its_own_is_no_conflict(
    district, units
):
    """On the demo the report listed 三和花园居委会 ↔ 蒋家巷居委会 for 邻里纠纷请求调解 at 昌平公寓
    and at 江宁公寓, each kept by the 居委会 of its own address: the territory, as for two
    streets. The street keeping it itself where its 居委会 kept the same is still listed."""
    from hotline.org.models import Unit, UnitKind

    d = district
    other = Unit.objects.create(
        code="jnl-03", name="蒋家巷居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    for place, community in (("昌平公寓", d.neighbourhood), ("江宁公寓", other)):
        order = register(d, SQUARE_DANCE.format(place=place), street=d.street, community=community)
        actions.dispatch(order, d.dan, lead_unit=d.street)
        actions.assign_inside(order, d.una, unit=community)
        kept(order)
    assert conflicts.find()["pairs"] == 0

    itself = register(d, SQUARE_DANCE.format(place="江宁公寓"), street=d.street, community=other)
    actions.dispatch(itself, d.dan, lead_unit=d.street)
    kept(itself)
    listed = {tuple(e["units"]): e["pairs"] for e in conflicts.find()["units"]}
    assert listed == {("jnl", "jnl-01"): 1, ("jnl", "jnl-03"): 1}


def test_a_unit_created_after_the_codes_were_read_is_still_named(district, units):
    """The report reads the units' codes once (not per chunk): a unit created while it runs,
    and an order kept by it, must not fail the report (KeyError) or lose the order."""
    from hotline.dispatch import services
    from hotline.org.models import PeerGroup, Unit, UnitKind

    codes = services.unit_codes()
    late = Unit.objects.create(
        code="b9", name="区新设局", kind=UnitKind.BUREAU, peer_group=PeerGroup.BUREAUS
    )
    order = dispatched(district, LIFT, late)
    assert services.kept_units([order.pk], codes) == {order.pk: "b9"}
