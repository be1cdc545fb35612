"""Back and send again files one pre-review: the portal's form carries the one-time token of
hotline/web/once.py, so Chen Li sending her form a second time (the browser does not put the
files back) lands on the pre-review the first sending filed, with a word that it was already
sent — not on a refusal for missing files, nor on a second pre-review."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.prereview import actions
from hotline.prereview.models import PreReview
from tests.forms import one_time_token
from tests.prereview.conftest import CHEN_PHONE, pdf

pytestmark = pytest.mark.django_db


def _form_url(pt) -> str:
    return f"/portal/prereview/new/{pt.hall.code}/{pt.residence.code}/"


def test_sending_the_form_again_shows_the_pre_review_already_filed(pt):
    chen = Client()
    token = one_time_token(chen.get(_form_url(pt)))
    fields = {"name": "陈丽", "phone": CHEN_PHONE, "submission": token}
    first = chen.post(_form_url(pt), {**fields, f"material_{pt.id_card.pk}": pdf("身份证.pdf")})
    review = PreReview.objects.get()
    assert first["Location"] == f"/portal/prereview/s/{review.token}/"
    assert review.submission == token

    # Back and send: the typed fields come back, the file does not.
    again = chen.post(_form_url(pt), fields)
    assert again.status_code == 302
    assert again["Location"] == f"/portal/prereview/s/{review.token}/?resent=1"
    assert PreReview.objects.count() == 1 and review.files.count() == 1
    page = chen.get(again["Location"]).content.decode()
    assert 'data-testid="resent"' in page and review.number in page

    # A fresh form (a new token) files a second one, as a citizen who means it would.
    fresh = one_time_token(chen.get(_form_url(pt)))
    assert fresh != token
    chen.post(
        _form_url(pt),
        {**fields, "submission": fresh, f"material_{pt.id_card.pk}": pdf("身份证.pdf")},
    )
    assert PreReview.objects.count() == 2


def test_the_write_path_files_once_per_token(pt):
    def send() -> PreReview:
        return actions.submit(
            pt.hall,
            pt.residence,
            name="陈丽",
            phone=CHEN_PHONE,
            uploads={pt.id_card.pk: pdf()},
            submission="t" * 32,
        )

    first, second = send(), send()
    assert first == second
    assert PreReview.objects.count() == 1 and first.files.count() == 1
    assert first.number.endswith("-000001")
    assert actions.filed_with("t" * 32) == first and actions.filed_with("") is None
