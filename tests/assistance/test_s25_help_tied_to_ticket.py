"""A 帮办 or 代办 tied to the citizen's ticket of the day (walk-through, session 25, B-H3): the
start forms had no ticket field, so no record could ever name its visit's cases, and nobody
could see how long the citizen waited, how many trips it took or what was collected. The
forms take the day's ticket number (as the 办不成事 form); the page shows the wait and the
cases with their trips and materials received, linked for the hall's staff. A finished
leader's 帮办 keeps its mark in the done list (B-L2)."""

from __future__ import annotations

import pytest
import time_machine

from hotline.assistance.models import Assistance
from hotline.cases.models import LineState
from tests.cases.conftest import make_case_town, serve
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ct(district):
    return make_case_town(district)


def test_a_help_started_with_todays_ticket_names_its_cases_wait_trips_and_materials(ct):
    ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"), holder_name="张三")
    lines = list(case.submission.lines.all())
    lines[0].state = LineState.RECEIVED
    lines[0].save()
    wendy = logged_in(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:20"), tick=False):
        wendy.post(
            "/assistance/",
            {
                "kind": "help",
                "help-matters": [ct.residence.pk],
                "help-ticket_number": ticket.number.lower(),
            },
        )
        page = wendy.get("/assistance/").content.decode()
    record = Assistance.objects.get()
    assert record.ticket == ticket and record.case_numbers == [case.number]
    assert f'href="/cases/{case.number}/"' in page  # a link for the hall's staff
    visit = page[page.index('data-testid="assist-visit"') :]
    visit = visit[: visit.index("</small>")]
    assert ticket.number in visit
    assert f"1/{len(lines)}" in visit  # materials received of the application
    assert "等候 0 分钟" in visit  # the wait (whole minutes: called as it was taken)
    assert "跑动 1 次" in visit


def test_an_unknown_or_yesterdays_ticket_is_refused_and_nothing_is_started(ct):
    ticket, _case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    wendy = logged_in(ct.town.wendy)
    with time_machine.travel(at("2025-03-05 10:20"), tick=False):
        refused = wendy.post(
            "/assistance/",
            {
                "kind": "help",
                "help-matters": [ct.residence.pk],
                "help-ticket_number": ticket.number,
            },
        )
    assert refused.status_code == 422 and not Assistance.objects.exists()
    assert "本大厅今天没有这个排队号" in refused.content.decode()


def test_a_leaders_help_shows_the_cases_without_links_and_keeps_its_mark_when_done(ct):
    ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    leo = logged_in(ct.town.district.leo)
    hall = ct.town.hall.code
    with time_machine.travel(at("2025-03-04 10:20"), tick=False):
        leo.post(
            "/assistance/",
            {
                "kind": "help",
                "hall": hall,
                "help-matters": [ct.residence.pk],
                "help-ticket_number": ticket.number,
            },
        )
        record = Assistance.objects.get()
        assert record.ticket == ticket
        leo.post(f"/assistance/{record.pk}/end", {"outcome": "done"})
        page = leo.get("/assistance/", {"hall": hall}).content.decode()
    done = page[page.index('class="assist-done"') :]
    assert "领导帮办" in done and case.number in done
    assert f'href="/cases/{case.number}/"' not in page  # the leader cannot open /cases/
