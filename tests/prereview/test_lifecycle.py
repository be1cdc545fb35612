"""Chen Li's pre-review from upload to pass: numbers, messages with her link, the one notice
asking for more, the resubmission of exactly what was asked, her number forgotten at the end."""

from __future__ import annotations

import logging

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from hotline.prereview import actions
from hotline.prereview.models import PreReviewAction, PreReviewEvent, PreReviewState
from tests.conftest import at
from tests.hall.booking_by_code import OUTBOX, Outbox
from tests.prereview.conftest import CHEN_PHONE, pdf, png


def texts(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "prereview_" in r.getMessage()]


def test_chen_is_asked_once_for_her_lease_resends_it_and_passes(
    pt, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    Outbox.sent.clear()
    with (
        time_machine.travel(at("2026-03-09 20:15"), tick=False),
        # The SMS adapter is given the link whole; the log's copy has its secret cut (1b5960a).
        override_settings(NOTIFIERS=["hotline.orders.notify.LoggingNotifier", *OUTBOX]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        review = actions.submit(
            pt.hall,
            pt.residence,
            name=" 陈丽 ",
            phone="139-1234-5678",
            uploads={pt.id_card.pk: pdf("身份证.pdf"), pt.form.pk: png("登记表.png")},
            site="https://12345.example.cn/",
        )
    assert review.number == "DNL-YS-2026-000001"
    assert (review.applicant_name, review.notify_phone) == ("陈丽", CHEN_PHONE)
    assert CHEN_PHONE not in review.phone_key
    sent = texts(caplog)
    assert len(sent) == 1 and review.number in sent[0]
    link = f"https://12345.example.cn/portal/prereview/s/{review.token}/"
    assert [link in m.text for m in Outbox.sent] == [True]
    assert review.token not in sent[0] and "https://12345.example.cn/portal/prereview/s/" in sent[0]
    assert sorted(review.files.values_list("material__name", flat=True)) == [
        "居住登记表",
        "居民身份证",
    ]

    with (
        time_machine.travel(at("2026-03-10 09:05"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.ask_more(
            review, pt.wendy, missing=[pt.lease.pk, pt.photo.pk], note="请上传租赁合同和近期照片"
        )
    review.refresh_from_db()
    assert review.state == PreReviewState.MORE_NEEDED
    assert review.missing == sorted([pt.lease.pk, pt.photo.pk])
    assert len(texts(caplog)) == 2 and "prereview_ask_more" in texts(caplog)[1]

    # Everything on the notice must come back; the lease alone is not enough.
    with pytest.raises(actions.InvalidInput, match="近期照片"):
        actions.resubmit(review, uploads={pt.lease.pk: pdf("合同.pdf")})
    assert review.files.count() == 2
    actions.resubmit(review, uploads={pt.lease.pk: pdf("合同.pdf"), pt.photo.pk: png("照片.png")})
    review.refresh_from_db()
    assert review.state == PreReviewState.RESUBMITTED
    assert sorted(review.files.filter(round=2).values_list("name", flat=True)) == [
        "合同.pdf",
        "照片.png",
    ]

    # The notice was given once: the clerk now passes or rejects.
    with pytest.raises(actions.InvalidTransition):
        actions.ask_more(review, pt.walt, missing=[pt.form.pk], note="再补一次")
    with django_capture_on_commit_callbacks(execute=True):
        actions.pass_review(review, pt.walt, note="请带原件")
    review.refresh_from_db()
    assert (review.state, review.decided_by, review.note) == ("passed", pt.walt, "请带原件")
    assert review.notify_phone == ""  # the last message went out; the number is forgotten
    assert "prereview_pass" in texts(caplog)[-1]
    assert list(review.events.order_by("seq").values_list("action", flat=True)) == [
        PreReviewAction.SUBMIT,
        PreReviewAction.ASK_MORE,
        PreReviewAction.RESUBMIT,
        PreReviewAction.PASS,
    ]


def test_asking_for_more_needs_the_list_and_a_note(pt):
    review = pt.chen_files()
    with pytest.raises(actions.InvalidInput) as no_list:
        actions.ask_more(review, pt.wendy, missing=[], note="缺材料")
    assert no_list.value.field == "missing"
    with pytest.raises(actions.InvalidInput) as no_note:
        actions.ask_more(review, pt.wendy, missing=[pt.lease.pk], note="  ")
    assert no_note.value.field == "note"
    with pytest.raises(actions.InvalidInput):
        actions.ask_more(review, pt.wendy, missing=[pt.ct.charter.materials.first().pk], note="x")
    with pytest.raises(actions.InvalidInput) as no_reason:
        actions.reject(review, pt.wendy, reason="")
    assert no_reason.value.field == "note"
    review.refresh_from_db()
    assert review.state == PreReviewState.SUBMITTED and review.events.count() == 1


def test_two_clerks_deciding_at_once_one_wins(pt):
    review = pt.chen_files()
    stale = type(review).objects.get(pk=review.pk)
    actions.pass_review(review, pt.wendy)
    # Walt's page was loaded before Wendy passed it: he is told, nothing is applied twice.
    with pytest.raises(actions.InvalidTransition):
        actions.reject(stale, pt.walt, reason="不符合")
    assert PreReviewEvent.objects.filter(prereview=review).count() == 2


def test_numbers_run_per_hall_and_year(pt):
    with time_machine.travel(at("2026-12-31 16:00"), tick=False):
        first = pt.chen_files()
        second = pt.chen_files()
    with time_machine.travel(at("2027-01-04 10:00"), tick=False):
        third = pt.chen_files()
    assert [first.number, second.number, third.number] == [
        "DNL-YS-2026-000001",
        "DNL-YS-2026-000002",
        "DNL-YS-2027-000001",
    ]


def test_withdrawing_forgets_her_number(pt):
    review = pt.chen_files()
    actions.withdraw(review)
    review.refresh_from_db()
    assert (review.state, review.notify_phone) == (PreReviewState.WITHDRAWN, "")


def test_her_history_cannot_be_rewritten(pt):
    review = pt.chen_files()
    event = review.events.get()
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        review.events.update(reason="changed")


@pytest.mark.postgres_only
def test_postgresql_refuses_raw_changes_to_her_history(pt):
    review = pt.chen_files()
    for sql in (
        "UPDATE prereview_prereviewevent SET reason = 'changed'",
        "DELETE FROM prereview_prereviewevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert review.events.count() == 1
