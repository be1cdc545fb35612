"""A demo with a single simulated day (``DEMO_HALL_DAYS=1``): every story of
hotline/cases/demo/week.json that needs a later day is shortened or skipped — the 补正 whose
second visit would fall after the last day stays waiting for the citizen — instead of failing
the whole load; and the demo reset removes the pre-reviews' stored files, nothing else.

Slow (a demo load and reset): one test function."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.test import override_settings

from hotline.assessment.models import ReviewCriterion
from hotline.cases.models import Case, CaseState
from hotline.hall import identity
from hotline.hall.models import Ticket
from hotline.org import demo
from hotline.prereview.models import PreReview, PreReviewFile
from hotline.ratings.hotline_link import visits_for_phone
from tests.conftest import at

NOW = at("2027-03-04 18:00")  # a Thursday evening; the one simulated day is Wednesday 3 March


# Real commits: the reset deletes the stored files once its transaction has committed.
@pytest.mark.django_db(transaction=True)
def test_a_one_day_demo_shortens_its_stories_and_its_reset_removes_the_uploaded_files(
    tmp_path: Path,
):
    data = tmp_path / "var"
    media = data / "media"
    keep = [data / "hotline.sqlite3", media / "orders" / "photo.png", tmp_path / "elsewhere.pdf"]
    for path in keep:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"not the demo's")
    with override_settings(DEMO_HALL_DAYS=1, MEDIA_ROOT=media):
        try:
            with time_machine.travel(NOW, tick=False):
                demo.load_district()
            days = set(Ticket.objects.values_list("day", flat=True))
            assert {d.isoformat() for d in days} >= {"2027-03-03"}
            # 王建国's 补正: his second visit (day 2) never came, so the case still waits for him.
            wang = Case.objects.get(
                submission__applicant_key=identity.holder_key(phone="13816200101")
            )
            assert wang.state == CaseState.CORRECTION
            # His ticket was given at the reception desk (staff saw him): the 12345 caller history
            # of his number finds the visit and its case (a kiosk's typed number would not).
            history = visits_for_phone("13816200101")
            assert [t.pk for t in history.tickets] == [wang.ticket_id]
            assert wang in history.cases
            # The pre-reviews were filed with their scans, stored under the media folder.
            stored = [Path(f.file.path) for f in PreReviewFile.objects.all()]
            assert stored and all(p.is_file() and media in p.parents for p in stored)
        finally:
            demo.reset()
            # As tests/cases/test_demo_week.py: the rubric is configuration the reset keeps.
            ReviewCriterion.objects.all().delete()
        assert not PreReview.objects.exists()
        assert not any(p.exists() for p in stored)
        assert not (media / "prereview").exists()
        assert all(p.read_bytes() == b"not the demo's" for p in keep)
