"""The demo halls' week (hotline/cases/demo/week.json) after three simulated working days: most
cases closed as a real week would, the named citizens' stories (a 补正 completed on a second
visit, a 容缺 promise kept, a 社会团体三联办), ratings with 差评 turned into work orders the centre
handles, 帮办 / 代办 records — all through the real actions."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, override_settings

from hotline.assessment.models import ReviewCriterion
from hotline.assistance.models import Assistance, Kind
from hotline.cases import actions, trips
from hotline.cases.models import Case, CaseState, LineState, Submission
from hotline.hall import identity
from hotline.orders.models import Action, Event, State, WorkOrder
from hotline.org import demo
from hotline.org.models import User
from hotline.ratings.models import BAD_LEVELS, Rating, RatingState
from hotline.sla import worker
from tests.conftest import at
from tests.crawl import crawl

NOW = at("2027-03-04 18:00")  # a Thursday evening; the simulated days are Mon 1 – Wed 3 March


@pytest.fixture(scope="module")
def week(django_db_setup, django_db_blocker, tmp_path_factory):
    # The demo's pre-review scans go to a scratch media folder, not the checkout's var/media.
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(DEMO_HALL_DAYS=3, MEDIA_ROOT=media):
        with time_machine.travel(NOW, tick=False):
            demo.load_district()
        yield
        demo.reset()
        # The reset keeps the review rubric (configuration, not demo data); later tests in the
        # same process expect an empty rubric, as a fresh test database has.
        ReviewCriterion.objects.all().delete()


def _case_of(phone: str, matter: str) -> Case:
    return Case.objects.get(
        submission__applicant_key=identity.holder_key(phone=phone), matter__code=matter
    )


@pytest.mark.django_db
def test_most_cases_are_closed_and_the_open_ones_are_mostly_within_their_limit(week):
    cases = Case.objects.all()
    total = cases.count()
    assert total > 300
    # 即办件 are done at the window, bar a few 补正, 容缺 and come-again stories.
    instant = cases.filter(promised_days=0)
    closed = instant.filter(state__in=[CaseState.DELIVERED, CaseState.REFUSED]).count()
    assert closed > 0.85 * instant.count()
    # Promised cases of a 7- or 10-working-day matter opened this week are mostly still running,
    # within their limit; the few past it are the "late" stories.
    running = cases.filter(state__in=[CaseState.OPENED, CaseState.ACCEPTED])
    overdue = running.filter(due_at__lt=NOW).count()
    assert running.count() > 0 and overdue < 0.03 * total
    # The worker urges those due within a working day and the late ones, not the week.
    assert actions.urge_due(NOW) < 0.15 * total


@pytest.mark.django_db
def test_a_correction_completed_on_a_second_visit_took_two_trips(week):
    wang = _case_of("13816200101", "jzz-bl")
    found = trips.case_trips(wang)
    assert (found.count, found.extra_causes) == (2, ["correction"])
    assert wang.state == CaseState.DELIVERED


@pytest.mark.django_db
def test_a_promised_material_was_handed_in_and_the_bad_rating_went_round_the_loop(week):
    chen = _case_of("13916200102", "jzz-bl")
    line = chen.submission.lines.get(name="社会保险缴纳证明")
    assert line.state == LineState.RECEIVED and line.promise_text
    rating = Rating.objects.get(ticket__cases=chen)
    assert rating.level in BAD_LEVELS and rating.order is not None
    assert rating.order.state == State.CLOSED
    assert rating.state == RatingState.FOLLOWED_UP and rating.follow_up_level == 4


@pytest.mark.django_db
def test_no_citizen_who_left_no_number_is_called_back(week):
    """No number, no callback (session 29, h10): 陈美玲 rated at her slip's code and left no
    number; her rectification is archived by the callback agent saying how she was told, and
    no callback verdict or failed call is recorded on it."""
    silent = WorkOrder.objects.filter(hall_rating__isnull=False, citizen_phone="")
    called = Event.objects.filter(
        order__in=silent, action__in=[Action.CALLBACK, Action.CALLBACK_ATTEMPT]
    )
    assert not called.exists()
    assert not silent.exclude(satisfaction="").exists()
    chen = Rating.objects.get(ticket__cases=_case_of("13916200102", "jzz-bl")).order
    assert chen in silent and chen.state == State.CLOSED
    closing = chen.events.get(action=Action.CLOSE)
    assert closing.actor.username == "callback" and "未留联系电话" in closing.reason


@pytest.mark.django_db
def test_the_social_organisation_applied_for_the_three_matters_on_one_ticket(week):
    bundle = Submission.objects.get(bundle__code="shtt-3l")
    assert sorted(bundle.cases.values_list("matter__code", flat=True)) == [
        "shtt-bg",
        "shtt-yq",
        "shtt-zc",
    ]
    assert trips.submission_trips(list(bundle.cases.all())).count == 1


@pytest.mark.django_db
def test_ratings_include_bad_ones_turned_into_work_orders_the_centre_handles(week):
    ratings = Rating.objects.all()
    assert ratings.count() > 100
    bad = ratings.filter(level__in=[level.value for level in BAD_LEVELS])
    assert bad.exists() and not bad.filter(order__isnull=True).exists()
    assert bad.filter(order__state=State.REPLIED).exists()  # handled a working day later
    assert bad.filter(order__state=State.DISPATCHED).exists()  # the latest still in the inbox


@pytest.mark.django_db
def test_help_and_proxy_records(week):
    assert Assistance.objects.filter(kind=Kind.HELP).count() == 3
    # The file's second 代办 is on the fourth simulated day: three days hold one of them.
    (proxy,) = Assistance.objects.filter(kind=Kind.PROXY)
    assert proxy.hall.code == "jazw" and proxy.state == "completed"


# Every demo login the banner prints (one handler of each kind), and a citizen.
_CRAWLERS = [
    "admin",
    "operator",
    "dispatcher",
    "callback",
    "supervisor",
    "leader",
    "unit-jnl",
    "unit-jnl-01",
    "unit-dnl",
    "dnl-hm",
    "dnl-ck1",
    "jazw-hm",
    "jazw-ck1",
    None,
]


@pytest.mark.django_db
def test_every_page_each_demo_login_reaches_by_its_links_answers_without_a_server_error(week):
    # The reviewer's page listed the demo's imported articles and the case page the worker's
    # urges: both answered 500 with data only the demo has (an author or actor of None).
    # Following every link from each role's home with the demo week loaded finds that kind.
    failures: dict[str, list[tuple[str, int]]] = {}
    pages = 0
    with time_machine.travel(NOW, tick=False):
        # What a running demo has too: the worker's urges, supervisions and upkeep tasks.
        assert -1 not in worker.run_once(NOW).values()
        for username in _CRAWLERS:
            client = Client(raise_request_exception=False)
            if username is not None:
                client.force_login(User.objects.get(username=username))
            found = crawl(client, ["/", "/portal/", "/kb/"])
            pages += found.pages
            if found.failures:
                failures[username or "citizen"] = found.failures
    assert failures == {}
    assert pages > 300  # the crawl did go round the product
