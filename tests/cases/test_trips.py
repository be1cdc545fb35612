"""Trips measured from the events: visits per case and bundle, the cause of each extra trip, and
the 一次办 rate per matter, hall and unit, against hand-computed fixtures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.cases import actions, trips
from hotline.cases.models import Case, Delivery, LineState, Outcome, TripCause
from hotline.hall.models import Window, WindowKind, WindowMatter
from hotline.matters.models import Matter
from tests.cases.conftest import serve
from tests.conftest import at

pytestmark = pytest.mark.django_db
T0 = at("2025-03-04 10:00")


def _receive_all(case: Case, clerk, skip=()) -> list[str]:
    entries = {
        line.pk: actions.Received(
            LineState.MISSING if line.name in skip else LineState.RECEIVED, line.form, line.copies
        )
        for line in case.submission.lines.all()
    }
    return actions.receive(case.submission, clerk, entries)


def test_the_causes_are_read_from_what_happened_between_visits():
    h = dt.timedelta(hours=1)
    events = [
        ("visit", T0, 1, {"kind": "ticket"}),
        ("request_correction", T0 + h, None, {}),
        ("visit", T0 + 2 * h, 2, {"kind": "ticket"}),
        ("return_asked", T0 + 3 * h, None, {"cause": "system_failure"}),
        ("visit", T0 + 4 * h, 3, {"kind": "remote"}),
        ("visit", T0 + 5 * h, None, {"kind": "pickup"}),
    ]
    visits = trips.visits_from(events)
    assert [v.cause for v in visits] == [None, "correction", "system_failure", "pickup"]
    # Declared two (apply, collect): two extra trips, blamed on the 补正 and the system first.
    assert trips.Trips(visits, declared=2).extra_causes == ["correction", "system_failure"]
    assert trips.Trips(visits, declared=4).extra_causes == []


def test_a_correction_takes_two_trips_where_one_was_declared(ct):
    wendy = ct.town.wendy
    _t1, case = serve(ct, ct.residence, T0, holder_key="k-wang")
    _receive_all(case, wendy, skip=["房屋租赁合同", "近期照片"])
    actions.request_correction(case.submission, wendy)
    _t2, again = serve(ct, ct.residence, at("2025-03-05 10:00"), holder_key="k-wang")
    assert again.pk == case.pk
    found = trips.case_trips(case)
    assert (found.count, found.declared, found.extra, found.extra_causes) == (
        2,
        1,
        1,
        ["correction"],
    )


def test_a_pick_up_at_the_window_is_a_trip_and_a_remote_session_is_one_too(ct):
    wendy = ct.town.wendy
    remote = Window.objects.create(hall=ct.town.hall, number=9, kind=WindowKind.REMOTE)
    WindowMatter.objects.create(window=remote, matter=ct.residence)
    _t, case = serve(ct, ct.residence, T0, holder_key="k-zhao", window=remote)
    _receive_all(case, wendy)
    actions.accept(case, wendy)
    actions.conclude(case, wendy, outcome=Outcome.APPROVED)
    with time_machine.travel(at("2025-03-10 15:00"), tick=False):
        actions.deliver(case, wendy, method=Delivery.WINDOW)  # walks up, no ticket
    found = trips.case_trips(case)
    assert [v.kind for v in found.visits] == ["remote", "pickup"]
    assert found.extra_causes == ["pickup"]


def test_one_visit_rates_per_matter_hall_and_unit(ct):
    """Hand-computed: 居住证 has three finished cases (one by post after one visit, one refused at
    the first visit, one concluded after a 补正 — two visits) and one still open; 章程核准 one
    finished in one visit. jzz: 2 of 3 in one visit (0.6667), mean 4/3 visits; hall: 3 of 4."""
    wendy = ct.town.wendy
    Matter.objects.filter(pk=ct.charter.pk).update(unit=ct.town.district.bureau)
    _t, by_post = serve(ct, ct.residence, T0)
    _receive_all(by_post, wendy)
    actions.accept(by_post, wendy)
    actions.conclude(by_post, wendy, outcome=Outcome.APPROVED)
    actions.deliver(by_post, wendy, method=Delivery.POST)
    _t, refused = serve(ct, ct.residence, at("2025-03-04 10:30"))
    actions.refuse(refused, wendy, reason="不符合条件")
    _t, corrected = serve(ct, ct.residence, at("2025-03-04 11:00"), holder_key="k-li")
    _receive_all(corrected, wendy, skip=["居住登记表", "近期照片"])
    actions.request_correction(corrected.submission, wendy)
    serve(ct, ct.residence, at("2025-03-06 09:30"), holder_key="k-li")
    _receive_all(corrected, wendy)
    actions.accept(corrected, wendy)
    actions.conclude(corrected, wendy, outcome=Outcome.REFUSED, reason="条件不符")
    serve(ct, ct.residence, at("2025-03-06 10:00"))  # open: not counted
    _t, charter = serve(ct, ct.charter, at("2025-03-06 10:30"))
    _receive_all(charter, wendy)
    actions.accept(charter, wendy)
    actions.conclude(charter, wendy, outcome=Outcome.APPROVED)

    everything = list(Case.objects.select_related("matter", "hall__unit", "matter__unit"))
    by_matter = trips.one_visit_rates(everything, by="matter")
    jzz = by_matter["jzz"]
    assert (jzz.cases, jzz.one_visit, jzz.within_declared) == (3, 2, 2)
    assert jzz.one_visit_rate == 0.6667 and jzz.mean_visits == 1.33
    assert jzz.extra_causes == {TripCause.CORRECTION: 1}
    assert by_matter["stt-zc"].one_visit_rate == 1.0
    assert trips.one_visit_rates(everything, by="hall")["dnl"].one_visit_rate == 0.75
    by_unit = trips.one_visit_rates(everything, by="unit")
    assert by_unit["mzj"].cases == 1 and by_unit["dnl-centre"].cases == 3
