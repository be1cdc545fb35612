"""Hugo's month (本月数据): the hall's March 2023 so far, per day and for the month, by matter and
by window, with appointments and 好差评, on a page, as a workbook and to print.

- Monday 03-06, window 1 (Wendy): A001 waits 5 minutes and is served 10; A002 waits 16 and is
  served 20; A003 gives up after 19 minutes. A citizen rates A001 非常满意.
- Tuesday 03-07, window 2 (Walt): A001 waits 30 minutes and is served 5 (rated 非常不满意);
  A002 is called after 40 minutes and does not come (a no-show).
- Wednesday 03-08: two bookings for 09:00; 张三 checks in, 李四 does not come.
Seen on Thursday 03-09 at 16:00.
"""

from __future__ import annotations

import datetime as dt
import html
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.hall import actions, kpis
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.views.figures import hall_month
from hotline.org.models import Role
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel
from tests.conftest import at, make_user
from tests.hall.conftest import make_hall, open_slot

pytestmark = pytest.mark.django_db

NOW = "2023-03-09 16:00"


def _issue(town, when):
    with time_machine.travel(at(when), tick=False):
        return actions.issue(town.hall, town.residence)


def _serve(ticket, window, clerk, called, *, started=None, finished=None, no_show=None):
    """``window`` calls the next ticket at ``called`` (it is ``ticket``), then serves it from
    ``started`` to ``finished``, or marks it a no-show at ``no_show``."""
    with time_machine.travel(at(called), tick=False):
        if window.clerk_id != clerk.pk:
            actions.sign_in(window, clerk)
        assert actions.call_next(window, clerk) == ticket
    if started:
        with time_machine.travel(at(started), tick=False):
            actions.start(ticket, clerk)
    if finished:
        with time_machine.travel(at(finished), tick=False):
            actions.finish(ticket, clerk)
    if no_show:
        with time_machine.travel(at(no_show), tick=False):
            actions.no_show(ticket, clerk)
    return ticket


@pytest.fixture
def march(town):
    make_user("rita", town.hall.unit, Role.UNIT_HANDLER)  # the centre's 差评 orders go to her
    a1, a2 = _issue(town, "2023-03-06 09:00"), _issue(town, "2023-03-06 09:00")
    a3 = _issue(town, "2023-03-06 09:01")
    _serve(a1, town.w1, town.wendy, "2023-03-06 09:05",
           started="2023-03-06 09:06", finished="2023-03-06 09:16")  # fmt: skip
    _serve(a2, town.w1, town.wendy, "2023-03-06 09:16",
           started="2023-03-06 09:17", finished="2023-03-06 09:37")  # fmt: skip
    with time_machine.travel(at("2023-03-06 09:20"), tick=False):
        actions.cancel(a3)
        ratings.rate(a1, None, level=5, channel=Channel.QR)
    slot = open_slot(town, dt.date(2023, 3, 8), capacity=3)
    with time_machine.travel(at("2023-03-06 15:00"), tick=False):
        came = booking.book(slot, holder_key=holder_key(phone="13912345678"), holder_name="张三")
        booking.book(slot, holder_key=holder_key(phone="13987654321"), holder_name="李四")
    b1, b2 = _issue(town, "2023-03-07 10:00"), _issue(town, "2023-03-07 10:00")
    _serve(b1, town.w2, town.walt, "2023-03-07 10:30",
           started="2023-03-07 10:31", finished="2023-03-07 10:36")  # fmt: skip
    _serve(b2, town.w2, town.walt, "2023-03-07 10:40", no_show="2023-03-07 10:50")
    with time_machine.travel(at("2023-03-07 10:40"), tick=False):
        ratings.rate(b1, None, level=1, channel=Channel.QR, reasons=["attitude"])
    with time_machine.travel(at("2023-03-08 08:58"), tick=False):
        booking.check_in(came)
    booking.mark_no_shows(town.hall, now=at("2023-03-08 10:00"))
    return town


def test_the_month_as_hugo_counts_it(march):
    hall = march.hall
    with time_machine.travel(at(NOW), tick=False):
        month = hall_month(hall, dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    whole = month.whole
    # Five tickets at the windows and 张三's appointment ticket (waiting when the day ended).
    assert (whole.issued, whole.served, whole.no_shows, whole.cancelled) == (6, 3, 1, 1)
    assert whole.mean_waiting == pytest.approx((5 + 16 + 30 + 40) / 4)
    assert whole.p90_waiting == pytest.approx(40)
    assert whole.mean_serving == pytest.approx((10 + 20 + 5) / 3)
    assert whole.p90_serving == pytest.approx(20)
    days = {d.day.isoformat(): d for d in month.days}
    assert list(days) == ["2023-03-06", "2023-03-07", "2023-03-08"]
    monday, tuesday, wednesday = days.values()
    assert (monday.tickets.issued, monday.tickets.served, monday.tickets.cancelled) == (3, 2, 1)
    assert (tuesday.tickets.served, tuesday.tickets.no_shows) == (1, 1)
    assert (monday.rated, monday.bad, tuesday.rated, tuesday.bad) == (1, 0, 1, 1)
    assert (wednesday.booked, wednesday.checked_in, wednesday.no_show) == (2, 1, 1)
    assert month.ratings is not None and (month.ratings.rated, month.ratings.bad) == (2, 1)
    # The month's appointments are the dashboard's (kpis.appointment_counts), day by day summed.
    kept, missed = kpis.appointment_counts(hall, dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    assert (month.appointments["checked_in"], month.appointments["no_show"]) == (kept, missed)
    assert [(n, f.served) for n, f in month.windows] == [("1", 2), ("2", 1)]
    ((name, matter, cases),) = month.matters
    assert name == "居住证办理" and matter.issued == 6 and cases is not None and cases.bad == 1


def test_the_page_in_both_languages(client, march):
    client.force_login(march.hugo)
    with time_machine.travel(at(NOW), tick=False):
        zh = client.get("/hall/dnl/manage/month/?month=2023-03", HTTP_ACCEPT_LANGUAGE="zh-hans")
        en = client.get("/hall/dnl/manage/month/", HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 200
    page = en.content.decode()
    assert "From 2023-03-01 to 2023-03-31" in page and "still running" in page
    month_row = page.split('data-testid="month-tickets">', 1)[1].split("</tr>", 1)[0].strip()
    assert month_row.replace("</td><td>", "|") == "<td>6|3|1|1|22.8|40.0|50|11.7|20.0</td>"
    assert 'data-day="2023-03-07"' in page and "?month=2023-03" in page
    assert (
        "月度数据 · 2023-03" in zh.content.decode() and "90分位等候（分钟）" in zh.content.decode()
    )
    # A past month's page does not call itself "this month" (the link to it does).
    assert "Monthly figures · 2023-03" in page and "This month&#x27;s figures" not in page


def test_the_workbook_and_the_print_view(client, march):
    from openpyxl import load_workbook

    client.force_login(march.hugo)
    with time_machine.travel(at(NOW), tick=False):
        answer = client.get(
            "/hall/dnl/manage/month/hall.xlsx?month=2023-03", HTTP_ACCEPT_LANGUAGE="en"
        )
        printed = client.get(
            "/hall/dnl/manage/month/print?month=2023-03", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert answer["Content-Disposition"] == 'attachment; filename="hall-dnl-2023-03.xlsx"'
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["The whole month", "Day by day", "By matter", "By window"]
    month = book["The whole month"]
    assert [c.value for c in month[3]][:4] == [6, 3, 1, 1]
    assert month.page_setup.orientation == "landscape"
    assert book["Day by day"].max_row == 2 + 3
    page = printed.content.decode()
    assert printed.status_code == 200 and 'class="topbar' not in page and "<form" not in page
    assert 'data-testid="month-tickets"' in page


def test_a_month_not_begun_or_malformed_is_refused_and_one_before_the_hall_opened_is_empty(
    client, march
):
    client.force_login(march.hugo)
    with time_machine.travel(at(NOW), tick=False):
        future = client.get("/hall/dnl/manage/month/?month=2023-04", HTTP_ACCEPT_LANGUAGE="en")
        bad = client.get("/hall/dnl/manage/month/?month=2023-13", HTTP_ACCEPT_LANGUAGE="en")
        before = client.get("/hall/dnl/manage/month/?month=2022-12", HTTP_ACCEPT_LANGUAGE="en")
        sheet = client.get("/hall/dnl/manage/month/hall.xlsx?month=2099-01")
    assert future.status_code == 400
    assert "The month 2023-04 has not begun: the latest is 2023-03." in future.content.decode()
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()
    assert before.status_code == 200
    assert "No figures for 2022-12: the hall's first ticket was in 2023-03." in (
        html.unescape(before.content.decode())
    )
    assert sheet.status_code == 400


def test_only_the_halls_manager_sees_its_month(client, march, district):
    other = make_hall(district, "jnl")
    for person in (march.wendy, other.hugo, district.una):
        client.force_login(person)
        for path in ("", "print", "hall.xlsx"):
            assert client.get(f"/hall/dnl/manage/month/{path}").status_code == 403


def test_the_query_count_does_not_grow_with_the_month(client, march):
    client.force_login(march.hugo)
    with time_machine.travel(at(NOW), tick=False), CaptureQueriesContext(connection) as few:
        client.get("/hall/dnl/manage/month/?month=2023-03")
    # Another busy day: more tickets, ratings and bookings, not more queries.
    for minute in range(10, 40, 5):
        ticket = _issue(march, f"2023-03-09 09:{minute}")
        called, started, finished = (f"2023-03-09 09:{minute + n}" for n in (1, 2, 4))
        _serve(ticket, march.w1, march.wendy, called, started=started, finished=finished)
    with time_machine.travel(at(NOW), tick=False), CaptureQueriesContext(connection) as more:
        client.get("/hall/dnl/manage/month/?month=2023-03")
    assert len(more.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 30


def test_the_90th_percentile_is_the_nearest_rank():
    assert kpis.percentile([], 0.9) is None
    assert kpis.percentile([7.0], 0.9) == 7.0
    assert kpis.percentile([float(n) for n in range(10, 0, -1)], 0.9) == 9.0
    assert kpis.percentile([5.0, 16.0, 30.0, 40.0], 0.9) == 40.0
