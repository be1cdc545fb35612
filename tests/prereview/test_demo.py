"""The demo's pre-reviews at 大宁路 from demo_prereviews.csv, through the real actions: eight
citizens file on the portal; the clerk decides; three come on the Tuesday and their cases open
linked to the pre-review, with nothing asked again."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from hotline.cases.models import CaseState
from hotline.hall import demo as hall_demo
from hotline.hall.models import WindowMatter
from hotline.matters.models import Matter
from hotline.org.models import Unit, UnitKind
from hotline.prereview.demo import prereviews_at
from hotline.prereview.figures import prereview_figures
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2026, 3, 10)


def _catalogue() -> None:
    """The demo catalogue names the bureaus that handle its matters."""
    for code, name in (("gafj", "区公安分局"), ("ybj", "区医保局"), ("wjw", "区卫健委")):
        Unit.objects.create(code=code, name=name, kind=UnitKind.BUREAU)
    hall_demo.load_catalogue()


def test_the_demo_files_decides_and_serves_through_the_actions(district, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _catalogue()
    town = make_hall(district)
    for code in ("jzz-bl", "lnjt", "yb-cb"):
        WindowMatter.objects.get_or_create(window=town.w3, matter=Matter.objects.get(code=code))
    with time_machine.travel(at("2026-03-10 18:00"), tick=False):
        made = prereviews_at(town.hall, day=TUESDAY)
    assert Counter(r.state for r in made) == {
        "passed": 4,
        "more_needed": 1,
        "rejected": 1,
        "withdrawn": 1,
        "submitted": 1,
    }
    assert all(r.submitted_at.date() == dt.date(2026, 3, 5) for r in made)
    linked = sorted(r.applicant_name for r in made if r.case_id)
    assert linked == ["刘芳", "王建国", "陈丽"]
    for review in (r for r in made if r.case_id):
        review.refresh_from_db()
        # 城乡居民医保参保登记 is done on the spot; the others are promised and running.
        done = review.matter.code == "yb-cb"
        assert review.case.state == (CaseState.DELIVERED if done else CaseState.ACCEPTED)
        assert review.ticket is not None
        assert not review.case.events.filter(action="request_correction").exists()
    assert not town.hall.windows.filter(clerk__isnull=False).exists()
    week = prereview_figures(town.hall, dt.date(2026, 3, 2), TUESDAY)
    assert (week.submitted, week.cases, week.prereviewed) == (8, 3, 3)


def test_citizens_who_have_not_come_yet_stay_unlinked(district, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _catalogue()
    town = make_hall(district)
    WindowMatter.objects.create(window=town.w3, matter=Matter.objects.get(code="jzz-bl"))
    with time_machine.travel(at("2026-03-10 08:00"), tick=False):
        made = prereviews_at(town.hall, day=TUESDAY, serve=False)
    # 城乡居民医保参保登记 is not handled here: 刘芳's and 周杰's rows are left out.
    names = {r.applicant_name for r in made}
    assert len(made) == 6 and not names & {"刘芳", "周杰"}
    assert not any(r.case_id for r in made)


def test_before_a_simulated_day_they_are_served_before_the_doors_open(district, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _catalogue()
    town = make_hall(district)
    WindowMatter.objects.create(window=town.w3, matter=Matter.objects.get(code="jzz-bl"))
    with time_machine.travel(at("2026-03-12 18:00"), tick=False):
        made = prereviews_at(town.hall, day=TUESDAY, early=True)
    served = [r for r in made if r.ticket_id]
    assert [r.applicant_name for r in served] == ["陈丽", "王建国"]
    issued = [timezone.localtime(r.ticket.issued_at).time() for r in served]
    assert issued == [dt.time(8, 30), dt.time(8, 36)]  # the hall opens at 09:00
    assert not town.hall.windows.filter(clerk__isnull=False).exists()


def test_a_demo_without_simulated_days_loaded_on_a_saturday_serves_nobody(
    district, settings, tmp_path
):
    """A demo loaded without simulated hall days (DEMO_HALL_DAYS=0, as the wait-estimate bench
    loads it) on a Saturday afternoon failed: it served today's pre-reviewed citizens at a hall
    whose windows were closed, and the ticket was refused. They are filed and decided, not
    served, on a day the hall is closed."""
    from hotline.prereview.demo import demo_prereviews

    settings.MEDIA_ROOT = tmp_path
    _catalogue()
    town = make_hall(district)
    WindowMatter.objects.create(window=town.w3, matter=Matter.objects.get(code="jzz-bl"))
    with time_machine.travel(at("2026-03-14 15:00"), tick=False):  # a Saturday
        made = demo_prereviews()
    assert made and not any(r.ticket_id for r in made)
