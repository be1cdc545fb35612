"""The hall manager sees their own hall's case figures (walk-through, session 25, B-M5): the
一次办 rate, the on-time rate and the average trips were only on the leader's dashboard (403 for
the manager). The case list shows them, this month and last, to the hall's manager."""

from __future__ import annotations

import pytest
import time_machine

from hotline.cases import actions
from hotline.cases.models import Outcome
from tests.cases.conftest import serve
from tests.cases.test_trips import _receive_all
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db


def test_the_manager_sees_the_halls_one_visit_rate_this_month_and_last(ct):
    wendy = ct.town.wendy
    with time_machine.travel(at("2025-03-04 10:00"), tick=False):
        _t, done = serve(ct, ct.residence, at("2025-03-04 10:00"))
        _receive_all(done, wendy)
        actions.accept(done, wendy)
        actions.conclude(done, wendy, outcome=Outcome.APPROVED)
        _t, refused = serve(ct, ct.residence, at("2025-03-04 10:30"))
        actions.refuse(refused, wendy, reason="不符合条件")
    with time_machine.travel(at("2025-04-02 10:00"), tick=False):
        page = logged_in(ct.town.hugo).get("/cases/").content.decode()
        clerk = logged_in(wendy).get("/cases/").content.decode()
    assert 'data-testid="case-figures"' in page
    march = page[page.index('data-month="2025-03"') :]
    march = march[: march.index("</tr>")]
    # Two cases finished in March, each in one visit: 100 % (2/2), 1.00 trips on average.
    assert "2/2" in march and "1.00" in march
    assert 'data-month="2025-04"' in page
    assert 'data-testid="case-figures"' not in clerk  # the manager's view
