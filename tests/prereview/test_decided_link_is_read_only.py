"""After the hall's decision (or her own withdrawal) Chen Li's link still shows her pre-review
and its files, read-only: every write through it is refused with a clear page and changes
nothing (the attacker's leftover of session 20: files posted to a decided pre-review got a
blank 400, the form being gone from the page)."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.prereview import actions
from hotline.prereview.models import PreReviewEvent, PreReviewFile, PreReviewState
from tests.prereview.conftest import pdf

pytestmark = pytest.mark.django_db


def _passed(pt):
    review = pt.chen_files()
    return actions.pass_review(review, pt.wendy, note="请带原件")


def _rejected_after_asking(pt):
    review = pt.chen_files()
    actions.ask_more(review, pt.wendy, missing=[pt.lease.pk], note="请上传租赁合同")
    actions.resubmit(review, uploads={pt.lease.pk: pdf("合同.pdf")})
    return actions.reject(review, pt.wendy, reason="不符合条件")


def _withdrawn(pt):
    return actions.withdraw(pt.chen_files())


@pytest.mark.parametrize("outcome", [_passed, _rejected_after_asking, _withdrawn])
def test_a_decided_pre_review_link_is_read_only(pt, outcome):
    review = outcome(pt)
    review.refresh_from_db()
    state = review.state
    files, events = PreReviewFile.objects.count(), PreReviewEvent.objects.count()
    chen = Client()
    link = f"/portal/prereview/s/{review.token}/"

    page = chen.get(link)
    assert page.status_code == 200 and 'id="resubmit-form"' not in page.content.decode()
    own = review.files.order_by("pk").first()
    assert chen.get(f"{link}files/{own.pk}").status_code == 200

    sent = chen.post(f"{link}resubmit", {f"material_{pt.lease.pk}": pdf("合同.pdf")})
    assert sent.status_code == 409
    text = sent.content.decode()
    assert 'data-testid="problem"' in text and "此预审申请现在不能再提交材料" in text
    assert review.number in text

    withdrawn = chen.post(f"{link}withdraw")
    assert withdrawn.status_code == 409 and 'data-testid="problem"' in withdrawn.content.decode()

    review.refresh_from_db()
    assert review.state == state
    assert PreReviewFile.objects.count() == files and PreReviewEvent.objects.count() == events


def test_a_pre_review_not_sent_back_takes_no_files_either(pt):
    review = pt.chen_files()
    sent = Client().post(
        f"/portal/prereview/s/{review.token}/resubmit", {f"material_{pt.lease.pk}": pdf("合同.pdf")}
    )
    assert sent.status_code == 409
    review.refresh_from_db()
    assert review.state == PreReviewState.SUBMITTED and review.files.count() == 2
