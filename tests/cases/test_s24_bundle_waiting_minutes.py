"""A bundled case's header gives the application's waiting as the hall's pages do: "under a
minute" or whole minutes (walk-through, session 23, L9: it read "等候 0.0 分钟")."""

from __future__ import annotations

import pytest
import time_machine

from hotline.cases import actions
from hotline.cases.models import Case
from hotline.hall import actions as hall
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def bundled(ct, called_after_seconds: int) -> Case:
    """李四 takes a ticket at 10:00; Wendy calls it ``called_after_seconds`` later and serves
    the 三联办 bundle on it."""
    with time_machine.travel(at("2025-03-04 10:00"), tick=False):
        ticket = hall.issue(ct.town.hall, ct.charter, holder_name="李四")
        hall.sign_in(ct.town.w1, ct.town.wendy)
    called = at("2025-03-04 10:00").timestamp() + called_after_seconds
    with time_machine.travel(called, tick=False):
        ct.town.w1.refresh_from_db()
        hall.call_ticket(ct.town.w1, ct.town.wendy, ticket, reason="测试")
        hall.start(ticket, ct.town.wendy, holder_seen=True)
        case = Case.objects.filter(events__ticket=ticket).distinct().get()
        actions.serve_as_bundle(case.submission, ct.bundle, ct.town.wendy)
    return case


def header(ct, case: Case, **language) -> str:
    page = logged_in(ct.town.wendy).get(f"/cases/{case.number}/", **language).content.decode()
    start = page.index('data-testid="bundle-trips"')
    return page[start : page.index("</span>", start)]


def test_a_wait_under_a_minute_reads_so(ct):
    case = bundled(ct, 20)
    assert "等候不到1分钟" in header(ct, case)
    assert "0.0" not in header(ct, case)
    assert "under a minute waiting" in header(ct, case, **EN)


def test_a_longer_wait_reads_in_whole_minutes(ct):
    case = bundled(ct, 7 * 60 + 40)  # 7.7 minutes
    assert "等候 8 分钟" in header(ct, case)
    assert "8 min waiting" in header(ct, case, **EN)
