"""容缺: the date by which the applicant promises to hand in a missing secondary item. A typo
(9999-12-31, 2205 for 2025) or a date already past is refused with a message that says the
range; the clerk's typed promise and date are still in the form; nothing is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.cases import actions
from hotline.cases.models import LineState
from hotline.cases.rules import InvalidInput
from tests.cases.conftest import serve
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db

NOW = at("2025-03-04 10:20")


def _missing_photo(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    return case, case.submission.lines.get(name="近期照片")


@pytest.mark.parametrize(
    "due", ["9999-12-31", "2205-03-07", "2026-03-05", "2025-03-04", "2000-01-01"]
)
def test_a_promised_date_too_far_or_past_is_refused(ct, due):
    case, line = _missing_photo(ct)
    with time_machine.travel(NOW, tick=False), pytest.raises(InvalidInput) as refused:
        actions.promise(line, ct.town.wendy, text="下周带来", due=dt.date.fromisoformat(due))
    assert refused.value.field == "promise_due"
    line.refresh_from_db()
    assert line.state == LineState.MISSING and line.promise_due is None
    assert not case.events.filter(action="promise").exists()


def test_a_promise_within_a_year_is_accepted(ct):
    _case, line = _missing_photo(ct)
    with time_machine.travel(NOW, tick=False):
        actions.promise(line, ct.town.wendy, text="下周带来", due=dt.date(2026, 3, 4))
    line.refresh_from_db()
    assert line.state == LineState.PROMISED and line.promise_due == dt.date(2026, 3, 4)


def test_the_page_says_why_and_keeps_what_was_typed(ct):
    case, line = _missing_photo(ct)
    wendy = logged_in(ct.town.wendy)
    data = {
        "action": "promise",
        "line": line.pk,
        "promise_text": "下周带来",
        "promise_due": "9999-12-31",
    }
    with time_machine.travel(NOW, tick=False):
        page = wendy.post(f"/cases/{case.number}/act", data, follow=True)
    text = page.content.decode()
    assert "2026-03-04" in text  # the latest day it may be, in the message
    assert 'value="下周带来"' in text and 'value="9999-12-31"' in text
    # The date field itself says the range the browser lets the clerk pick.
    assert 'min="2025-03-05"' in text and 'max="2026-03-04"' in text
    line.refresh_from_db()
    assert line.state == LineState.MISSING
