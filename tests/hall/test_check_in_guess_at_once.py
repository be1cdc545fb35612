"""Wrong booking codes sent to the kiosk's check-in at the same moment, with real threads
(PostgreSQL; SQLite with ``SQLITE_TEST_NAME``): no more are compared than the address's limit.
The limit was checked before a try and recorded after it, so 26 of 60 sent at once were compared
where 20 are allowed (review, session 19); each try now counts before it is made."""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from hotline.hall.views.booking import CODE_FAILURES
from hotline.portal.models import PortalHit
from tests.concurrency import in_threads, needs_threads_db

pytestmark = pytest.mark.django_db(transaction=True)

AT_ONCE = 60


def test_wrong_codes_sent_at_once_are_compared_no_more_than_the_limit(town):
    needs_threads_db()
    statuses: list[int] = []
    lock = threading.Lock()

    def post(i: int) -> None:
        sent = Client().post(f"/hall/{town.hall.code}/kiosk/check-in/", {"code": f"ZZ{i:04d}"})
        with lock:
            statuses.append(sent.status_code)

    assert not in_threads(post, AT_ONCE)
    compared = [status for status in statuses if status != 429]
    assert len(compared) <= CODE_FAILURES.count, sorted(statuses)
    assert all(status == 422 for status in compared)
    # Each refused try took its count back: the address holds the limit's worth, no more.
    assert PortalHit.objects.filter(key__startswith="hall-code:ip:").count() == len(compared)
