"""The centre deals with the first-level unit (二级派单, issue 16 item 1): when Dan names a
居委会 or a bureau's section, the order goes to its street or bureau, which is assigned the
sub-unit in the same step. The street leads (returns, extensions, review stay with it);
Nina's hand-back goes up to the street, never to the centre; the street can reassign; the KPIs
count for the street."""

from __future__ import annotations

import pytest
import time_machine

from hotline.assessment import kpis
from hotline.orders import actions
from hotline.orders.models import Action, ContactWay, ReplyResult, Satisfaction, State
from hotline.orders.rules import InvalidInput, NotAllowed
from hotline.org.models import Unit, UnitKind
from tests.conftest import at
from tests.orders.factory import new_order, order_in


def _section(d) -> Unit:
    """A section (科室) of Victor's bureau: a sub-unit of another first-level unit."""
    return Unit.objects.create(
        code="mzj-sz", name="区民政局社会救助科", kind=UnitKind.OTHER, parent=d.bureau
    )


def _story(order) -> list[tuple[str, str | None, str | None, str | None]]:
    return [
        (
            e.action,
            e.actor.username if e.actor else None,
            e.unit.code if e.unit else None,
            e.assigned_unit.code if e.assigned_unit else None,
        )
        for e in order.events.select_related("actor", "unit", "assigned_unit").order_by("seq")
    ]


def test_dan_names_a_neighbourhood_the_street_leads_and_the_neighbourhood_holds_it(district):
    d = district
    order = new_order(d)
    event = actions.dispatch(order, d.dan, lead_unit=d.neighbourhood, note="请居委会上门")
    order.refresh_from_db()
    assert (order.state, order.lead_unit, order.assigned_unit) == (
        State.DISPATCHED,
        d.street,
        d.neighbourhood,
    )
    assert event.action == Action.DISPATCH and event.unit == d.street
    assert event.payload["lead_unit"] == "jnl"
    # Two events, both Dan's, both from the centre; the assignment says the centre named it.
    assert _story(order)[1:] == [
        ("dispatch", "dan", "jnl", None),
        ("assign_inside", "dan", "jnl", "jnl-01"),
    ]
    assigned = order.events.get(action=Action.ASSIGN_INSIDE)
    assert assigned.actor_unit == d.centre
    assert assigned.payload == {
        "from_unit": "jnl",
        "to_unit": "jnl-01",
        "reassigned": False,
        "by_centre": True,
    }
    assert order.version == event.seq + 1


def test_a_first_level_unit_is_dispatched_as_before_without_an_assignment(district):
    d = district
    order = new_order(d)
    actions.dispatch(order, d.dan, lead_unit=d.street)
    order.refresh_from_db()
    assert (order.lead_unit, order.assigned_unit) == (d.street, None)
    assert not order.events.filter(action=Action.ASSIGN_INSIDE).exists()


def test_the_named_sub_unit_cannot_also_be_a_co_unit(district):
    d = district
    order = new_order(d)
    with pytest.raises(InvalidInput) as refused:
        actions.dispatch(order, d.dan, lead_unit=d.neighbourhood, co_units=[d.neighbourhood])
    assert refused.value.field == "co_units"
    order.refresh_from_db()
    assert order.state == State.REGISTERED and order.events.count() == 1


def test_only_the_centre_may_name_a_sub_unit(district):
    """Una (the street) cannot dispatch to her own 居委会 that way: nothing is written."""
    d = district
    order = new_order(d)
    with pytest.raises(NotAllowed):
        actions.dispatch(order, d.una, lead_unit=d.neighbourhood)
    order.refresh_from_db()
    assert (order.state, order.lead_unit, order.assigned_unit) == (State.REGISTERED, None, None)


def test_redispatch_to_a_section_of_another_first_level_unit(district):
    d = district
    section = _section(d)
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    actions.redispatch(order, d.dan, lead_unit=section, reason="属民政救助")
    order.refresh_from_db()
    assert (order.state, order.lead_unit, order.assigned_unit) == (
        State.DISPATCHED,
        d.bureau,
        section,
    )
    assert _story(order)[-2:] == [
        ("redispatch", "dan", "mzj", None),
        ("assign_inside", "dan", "mzj", "mzj-sz"),
    ]
    assert order.events.get(action=Action.REDISPATCH).payload["previous_unit"] == "jnl"
    # Victor's bureau leads now: Nina no longer sees it, the section's handler could.
    assert order.lead_unit_id != d.street.pk


def test_redispatch_to_a_sub_unit_of_the_unit_that_has_it_is_refused(district):
    """The street assigns inside itself: the centre does not go round it."""
    d = district
    order = order_in(State.DISPATCHED, d)
    version = order.version
    with pytest.raises(InvalidInput) as refused:
        actions.redispatch(order, d.dan, lead_unit=d.neighbourhood, reason="居委会更近")
    assert refused.value.field == "lead_unit"
    assert "江宁路街道" in refused.value.message
    order.refresh_from_db()
    assert (order.version, order.assigned_unit) == (version, None)


def test_approving_a_return_to_a_section_gives_the_bureau_the_lead(district):
    d = district
    section = _section(d)
    order = order_in(State.RETURNED, d)
    actions.approve_return(order, d.dan, lead_unit=section, note="民政救助科办理")
    order.refresh_from_db()
    assert (order.lead_unit, order.assigned_unit) == (d.bureau, section)
    assert _story(order)[-1] == ("assign_inside", "dan", "mzj", "mzj-sz")


def test_ninas_hand_back_goes_to_the_street_which_reassigns_it(district):
    d = district
    other = Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    order = new_order(d)
    actions.dispatch(order, d.dan, lead_unit=d.neighbourhood)
    # Nina may not return it to the centre: that is the street's.
    with pytest.raises(NotAllowed):
        actions.request_return(order, d.nina, reason="不归居委会")
    actions.hand_back(order, d.nina, reason="不在本居委会辖区")
    order.refresh_from_db()
    assert (order.state, order.lead_unit, order.assigned_unit) == (
        State.DISPATCHED,
        d.street,
        None,
    )
    hand_back = order.events.get(action=Action.HAND_BACK)
    assert hand_back.payload == {"from_unit": "jnl-01", "to_unit": "jnl"}
    actions.assign_inside(order, d.una, unit=other, note="海防村辖区")
    order.refresh_from_db()
    assert order.assigned_unit == other


def test_the_street_deals_with_the_centre_on_an_order_the_centre_sent_to_nina(district):
    """Returns and extensions are the street's, not Nina's, though the centre named her 居委会."""
    d = district
    order = new_order(d)
    actions.dispatch(order, d.dan, lead_unit=d.neighbourhood)
    actions.accept(order, d.nina)
    with pytest.raises(NotAllowed):
        actions.request_extension(order, d.nina, days=3, reason="需协调物业")
    actions.request_extension(order, d.una, days=3, reason="需协调物业")
    actions.approve_extension(order, d.dan)
    order.refresh_from_db()
    assert order.lead_unit == d.street and order.assigned_unit == d.neighbourhood


def test_the_kpis_count_for_the_street_with_the_neighbourhood_below_it(district):
    d = district
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        order = new_order(d)
        actions.dispatch(order, d.dan, lead_unit=d.neighbourhood)
        actions.accept(order, d.nina)
        actions.first_contact(order, d.nina, way=ContactWay.PHONE)
        actions.reply(order, d.nina, result=ReplyResult.RESOLVED, text="已处理。")
        actions.approve_reply(order, d.dan)
        actions.callback(order, d.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED)
    report = kpis.compute(at("2023-03-01 00:00"), at("2023-04-01 00:00"))
    street, neighbourhood = report.unit("jnl"), report.unit("jnl-01")
    assert (street.volume, neighbourhood.volume) == (1, 0)
    assert street.ratios["satisfaction"].denominator == 1
    assert neighbourhood.ratios["sign_for"].denominator == 1
    assert neighbourhood.parent_code == "jnl"


# --- co-units (review r1 M4) -----------------------------------------------------------------
# A co-unit has no assignment inside of its own (the order's one assigned sub-unit is the lead
# unit's), so the centre names first-level units as co-units: a 居委会 or a section is refused,
# saying which unit to name, and nothing is written.


def test_a_neighbourhood_named_as_a_co_unit_is_refused_naming_its_street(district):
    d = district
    order = new_order(d)
    with pytest.raises(InvalidInput) as refused:
        actions.dispatch(order, d.dan, lead_unit=d.bureau, co_units=[d.neighbourhood])
    assert refused.value.field == "co_units"
    assert "三和花园居委会" in refused.value.message and "江宁路街道" in refused.value.message
    order.refresh_from_db()
    assert (order.state, order.lead_unit, order.events.count()) == (State.REGISTERED, None, 1)
    assert not order.co_units.exists()


def test_a_sub_unit_of_the_lead_named_as_a_co_unit_is_refused(district):
    """江宁路街道 leads and assigns inside: its 居委会 is not also a co-unit of the order."""
    d = district
    order = new_order(d)
    with pytest.raises(InvalidInput) as refused:
        actions.dispatch(order, d.dan, lead_unit=d.street, co_units=[d.neighbourhood])
    assert refused.value.field == "co_units"
    assert "assigns it inside" in refused.value.message or "内部" in refused.value.message
    order.refresh_from_db()
    assert order.state == State.REGISTERED and not order.co_units.exists()


def test_a_section_named_as_a_co_unit_on_redispatch_or_approval_is_refused(district):
    d = district
    section = _section(d)
    order = order_in(State.ACCEPTED, d)
    version = order.version
    with pytest.raises(InvalidInput):
        actions.redispatch(order, d.dan, lead_unit=d.bureau, co_units=[section], reason="调整")
    returned = order_in(State.RETURNED, d)
    with pytest.raises(InvalidInput):
        actions.approve_return(returned, d.dan, lead_unit=d.bureau, co_units=[section])
    order.refresh_from_db()
    returned.refresh_from_db()
    assert (order.version, order.lead_unit) == (version, d.street)
    assert returned.state == State.RETURNED


def test_first_level_co_units_are_taken_as_before(district):
    d = district
    order = new_order(d)
    actions.dispatch(order, d.dan, lead_unit=d.neighbourhood, co_units=[d.bureau])
    order.refresh_from_db()
    assert (order.lead_unit, order.assigned_unit) == (d.street, d.neighbourhood)
    assert list(order.co_units.all()) == [d.bureau]
