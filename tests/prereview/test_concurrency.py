"""Two clerks deciding one pre-review, the citizen withdrawing while a clerk passes it, and two
citizens filing at once: real threads on PostgreSQL. One wins; nothing is applied twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from hotline.prereview import actions
from hotline.prereview.models import PreReview
from tests.prereview.conftest import CHEN_PHONE, pdf

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def race(*calls: Callable[[], Any]) -> list[object]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcomes[i] = "ok"
        except actions.PreReviewError as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def fresh(review: PreReview) -> PreReview:
    return PreReview.objects.get(pk=review.pk)


@pytest.mark.parametrize("repeat", range(3))
def test_pass_and_ask_more_at_once_exactly_one_wins(pt, repeat):
    review = pt.chen_files()
    outcomes = race(
        lambda: actions.pass_review(fresh(review), pt.wendy),
        lambda: actions.ask_more(fresh(review), pt.walt, missing=[pt.lease.pk], note="缺合同"),
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
    )
    assert outcomes.count("ok") == 1
    assert review.events.count() == 2


def test_two_filings_at_once_get_distinct_numbers(pt):
    def file() -> None:
        actions.submit(
            pt.hall, pt.residence, name="陈丽", phone=CHEN_PHONE, uploads={pt.id_card.pk: pdf()}
        )

    assert race(file, file) == ["ok", "ok"]
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

    assert race(send, send) == ["ok", "ok"]
    (review,) = PreReview.objects.all()
    assert review.files.count() == 1 and review.events.count() == 1
