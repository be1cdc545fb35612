"""A 差评's rectification through the API (brief h7, session 30; session 29's h6 and h10).

A citizen rated 大宁路's window 1 不满意 at the pad. Rita (the service centre) rectified and
replied, Dan approved: the order waits for Cathy's callback. Session 29 made the order rules
refuse a callback (回访) and a failed call (回访未果) where the citizen left no number, and the
archive (归档) of such an order ask for a note saying how the citizen was told; the pages and the
actions were tested, the API not. Through the API now: the archive without a note is refused
(422 on ``note``, nothing written), with one it closes the order; the callback and the failed
call are refused (409) and not offered; the citizen who left a number is called back as before.
"""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders.models import State
from tests.api.conftest import error_of
from tests.conftest import at
from tests.ratings.conftest import approved_rectification
from tests.ratings.conftest import town as town  # the fixture

pytestmark = pytest.mark.django_db

FRIDAY = at("2026-12-04 10:00")


@pytest.fixture
def silent(town, district):
    """The citizen who left no number."""
    return approved_rectification(town, district, "10:00", "10:02")


@pytest.fixture
def reachable(town, district):
    """The citizen who left 139 0000 1234."""
    return approved_rectification(town, district, "11:00", "11:02", phone="13900001234")


def _post(client, order, action: str, body: dict | None = None):
    with time_machine.travel(FRIDAY, tick=False):
        return client.post(f"/orders/{order.number}/{action}", body)


@pytest.mark.parametrize(
    "body", [{}, {"note": ""}, {"note": "   "}], ids=["none", "blank", "spaces"]
)
def test_cathy_cannot_archive_it_without_a_note(api, district, silent, body):
    before = silent.events.count()
    answer = _post(api(district.cathy), silent, "close", body)
    assert answer.status_code == 422, answer.content
    error = error_of(answer)
    assert (error["error"], error["field"]) == ("invalid_input", "note")
    silent.refresh_from_db()
    assert silent.state == State.REVIEWED and silent.closed_at is None
    assert silent.events.count() == before


def test_the_refusal_says_why_in_english(api, district, silent):
    client = api(district.cathy)
    client.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    answer = _post(client, silent, "close", {"version": silent.version})
    assert answer.status_code == 422
    assert "say how they were told" in error_of(answer)["detail"]


def test_cathy_archives_it_with_a_note(api, district, silent):
    note = "群众再次来厅时当面告知整改结果"
    answer = _post(api(district.cathy), silent, "close", {"note": note, "version": silent.version})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["order"]["state"] == State.CLOSED
    assert (body["event"]["action"], body["event"]["reason"]) == ("close", note)


def test_no_callback_or_failed_call_is_offered_or_taken(api, district, silent):
    cathy = api(district.cathy)
    with time_machine.travel(FRIDAY, tick=False):
        offered = cathy.get(f"/orders/{silent.number}/actions").json()["actions"]
    assert "close" in offered
    assert "callback" not in offered and "callback-attempt" not in offered
    called = _post(cathy, silent, "callback", {"resolved": True, "satisfaction": "satisfied"})
    failed = _post(cathy, silent, "callback-attempt", {"outcome": "not_reached"})
    for answer in (called, failed):
        assert answer.status_code == 409, answer.content
        assert error_of(answer)["error"] == "invalid_transition"
    silent.refresh_from_db()
    assert (silent.state, silent.satisfaction) == (State.REVIEWED, "")
    assert not silent.events.filter(action__startswith="callback").exists()


def test_the_citizen_who_left_a_number_is_called_back_as_before(api, district, reachable):
    cathy = api(district.cathy)
    with time_machine.travel(FRIDAY, tick=False):
        offered = cathy.get(f"/orders/{reachable.number}/actions").json()["actions"]
    assert "callback" in offered and "callback-attempt" in offered
    answer = _post(cathy, reachable, "callback", {"resolved": True, "satisfaction": "satisfied"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["order"]["state"] == State.CLOSED
    assert answer.json()["order"]["satisfaction"] == "satisfied"
