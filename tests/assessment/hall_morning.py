"""A morning at 大宁路街道's hall (2023-03-09) with hand-computed figures, through the real
actions; shared by the assessment tests and the dashboard's browser test (the table is in
tests/assessment/test_hall.py)."""

from __future__ import annotations

import datetime as dt

from hotline.hall import actions
from hotline.hall.models import Appointment, AppointmentSlot, AppointmentState
from tests.conftest import at
from tests.hall.conftest import HallTown


def morning(town: HallTown) -> None:
    t = {name: at(f"2023-03-09 {name}") for name in ("09:00", "09:01", "09:02")}
    actions.sign_in(town.w2, town.walt, now=t["09:00"])
    a1, a2, a3 = (actions.issue(town.hall, town.residence, now=t["09:00"]) for _ in range(3))
    a4 = actions.issue(town.hall, town.residence, now=t["09:01"])
    b1 = actions.issue(town.hall, town.allowance, now=t["09:02"])

    def serve(ticket, called: str, started: str, finished: str) -> None:
        assert actions.call_next(town.w2, town.walt, now=at(f"2023-03-09 {called}")) == ticket
        actions.start(ticket, town.walt, now=at(f"2023-03-09 {started}"))
        actions.finish(ticket, town.walt, now=at(f"2023-03-09 {finished}"))

    serve(a1, "09:05", "09:06", "09:16")
    serve(a2, "09:16", "09:17", "09:27")
    actions.cancel(a4, now=at("2023-03-09 09:30"))
    serve(a3, "09:27", "09:28", "09:38")
    actions.sign_in(town.w1, town.wendy, now=at("2023-03-09 09:40"))
    assert actions.call_next(town.w1, town.wendy, now=at("2023-03-09 09:40")) == b1
    actions.recall(b1, town.wendy, now=at("2023-03-09 09:41"))
    actions.recall(b1, town.wendy, now=at("2023-03-09 09:42"))
    actions.no_show(b1, town.wendy, now=at("2023-03-09 09:43"))
    slot = AppointmentSlot.objects.create(
        hall=town.hall,
        matter=town.residence,
        day=dt.date(2023, 3, 9),
        starts=dt.time(10),
        ends=dt.time(11),
    )
    for code, state in (("K1", AppointmentState.CHECKED_IN), ("K2", AppointmentState.NO_SHOW)):
        Appointment.objects.create(
            slot=slot, code=code, holder_key=code, state=state, booked_at=t["09:00"]
        )
