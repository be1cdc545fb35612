"""Sam's draw form sent twice (a double tap on the phone, Back and send again) draws once: the
second sending shows the first draw, it does not record a second one with a fresh seed."""

from __future__ import annotations

from django.urls import reverse

from hotline.assessment.models import SampleDraw
from tests.forms import logged_in, one_time_token, sent_twice

DRAW = {"size": 2, "strategy": "simple", "note": "12 月抽查"}


def test_a_draw_sent_twice_is_drawn_once(district, march):
    sam = logged_in(district.sam)
    first, again = sent_twice(sam, reverse("sample_draws"), DRAW)

    draw = SampleDraw.objects.get()
    assert first["Location"] == reverse("sample_detail", args=[draw.pk])
    assert again.redirect_chain[-1][0] == reverse("sample_detail", args=[draw.pk])
    assert "此表单已提交过" in again.content.decode()


def test_a_refused_draw_keeps_its_token_and_draws_when_corrected(district, march):
    sam = logged_in(district.sam)
    url = reverse("sample_draws")
    token = one_time_token(sam.get(url))
    refused = sam.post(url, {**DRAW, "size": 0, "submission": token})
    assert refused.status_code == 422
    assert one_time_token(refused) == token
    assert sam.post(url, {**DRAW, "submission": token}).status_code == 302
    assert SampleDraw.objects.count() == 1


def test_two_forms_are_two_draws(district, march):
    sam = logged_in(district.sam)
    url = reverse("sample_draws")
    for _ in range(2):
        sam.post(url, {**DRAW, "submission": one_time_token(sam.get(url))})
    assert SampleDraw.objects.count() == 2
