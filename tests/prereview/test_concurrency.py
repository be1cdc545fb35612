"""Two clerks deciding one pre-review, the citizen withdrawing while a clerk passes it, and two
citizens filing at once: real threads on PostgreSQL. One wins; nothing is applied twice."""

from __future__ import annotations

import pytest

from hotline.prereview import actions
from hotline.prereview.models import PreReview
from tests.concurrency import race
from tests.prereview.conftest import CHEN_PHONE, pdf

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def fresh(review: PreReview) -> PreReview:
    return PreReview.objects.get(pk=review.pk)


@pytest.mark.parametrize("repeat", range(3))
def test_pass_and_ask_more_at_once_exactly_one_wins(pt, repeat):
    review = pt.chen_files()
    outcomes = race(
        lambda: actions.pass_review(fresh(review), pt.wendy),
        lambda: actions.ask_more(fresh(review), pt.walt, missing=[pt.lease.pk], note="缺合同"),
        refused=actions.PreReviewError,
    )
    assert outcomes.count("ok") == 1
    assert isinstance(next(o for o in outcomes if o != "ok"), actions.PreReviewError)
    assert fresh(review).state in ("passed", "more_needed")
    assert review.events.exclude(action="submit").count() == 1


def test_withdrawing_while_the_clerk_passes_one_wins(pt):
    review = pt.chen_files()
    outcomes = race(
        lambda: actions.withdraw(fresh(review)),
        lambda: actions.pass_review(fresh(review), pt.hugo),
        refused=actions.PreReviewError,
    )
    assert outcomes.count("ok") == 1
    assert review.events.count() == 2


def test_two_filings_at_once_get_distinct_numbers(pt):
    def file() -> None:
        actions.submit(
            pt.hall, pt.residence, name="陈丽", phone=CHEN_PHONE, uploads={pt.id_card.pk: pdf()}
        )

    assert race(file, file, refused=actions.PreReviewError) == ["ok", "ok"]
    numbers = sorted(PreReview.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 2


def test_one_form_sent_twice_at_once_files_one_pre_review(pt):
    def send() -> None:
        actions.submit(
            pt.hall,
            pt.residence,
            name="陈丽",
            phone=CHEN_PHONE,
            uploads={pt.id_card.pk: pdf()},
            submission="double-click-" + "x" * 20,
        )

    assert race(send, send, refused=actions.PreReviewError) == ["ok", "ok"]
    (review,) = PreReview.objects.all()
    assert review.files.count() == 1 and review.events.count() == 1
