"""The demo district's halls: the catalogue from its data files, two halls, slots, one simulated
day, and a clean reset."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import demo as hall_demo
from hotline.hall import simulate
from hotline.hall.models import (
    AppointmentSlot,
    Hall,
    Kiosk,
    SelfServiceUse,
    Ticket,
    TicketEvent,
)
from hotline.matters.models import Bundle, Matter
from hotline.org import demo
from tests.conftest import at


@pytest.mark.django_db(transaction=True)
def test_the_demo_loads_both_halls_and_resets_them():
    with time_machine.travel(at("2027-03-01 10:00"), tick=False):
        demo.load_district()
        halls = {h.code: h for h in Hall.objects.select_related("unit")}
        assert {h.unit.name for h in halls.values()} == {
            "大宁路街道社区事务受理服务中心",
            "静安区政务服务中心",
        }
        bundle = Bundle.objects.get(code="shtt-3l")
        assert sorted(bundle.matters.values_list("code", flat=True)) == [
            "shtt-bg",
            "shtt-yq",
            "shtt-zc",
        ]
        assert "法定代表人身份证" in [m.name for m in bundle.checklist()]
        assert AppointmentSlot.objects.filter(day__gte=dt.date(2027, 3, 1)).exists()
        assert halls["dnl"].windows.filter(kind="remote", place__code="dnl-02").exists()
        # Each hall has a 24-hour self-service area; a day's uses come from the data file.
        assert all(h.kiosks.exists() for h in halls.values())
        assert hall_demo.self_service_day(halls["dnl"], dt.date(2027, 2, 26), 1) == 14 + 9 + 8
        result = simulate.run_day(
            halls["jazw"], dt.date(2027, 2, 26), 1, hall_demo.volumes(halls["jazw"])
        )
        assert result["kpis"]["issued"] > 80
        assert set(result["matters"]) <= set(Matter.objects.values_list("code", flat=True))
        demo.reset()
    assert not Ticket.objects.exists() and not TicketEvent.objects.exists()
    assert not Kiosk.objects.exists() and not SelfServiceUse.objects.exists()
    assert not Matter.objects.exists()
