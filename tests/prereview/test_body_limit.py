"""A pre-review's form has its own body limit — every material's file at ``MAX_ATTACHMENT_MB``
and the form — which the upload guard uses in place of the global ``MAX_REQUEST_BODY_MB``
(review of e108725: that one was 4 files' worth, so an honest pre-review of a six-material
matter was a bare 413 before it was read, and Chen Li lost what she typed). A body above the
form's own limit keeps no file (the guard skips them, nothing reaches the disk): the form comes
back with what she typed and why. MAX_ATTACHMENT_MB is 1 here, so the files stay small."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.matters.models import Material
from hotline.prereview.models import PreReview, PreReviewState
from tests.prereview.conftest import CHEN_PHONE, pdf
from tests.uploads import count_temp_files

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def six(pt, settings, monkeypatch, tmp_path) -> list[str]:
    """Residence with six materials; 1 MB a file, the global limit as its default would be
    (4 x 1 + 1 MB); the temporary files opened for uploads, counted."""
    settings.MAX_ATTACHMENT_MB = 1
    settings.MAX_REQUEST_BODY_MB = 4 * 1 + 1
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "media"
    for name in ("户口簿", "社保缴费证明"):
        Material.objects.create(matter=pt.residence, name=name, sort_order=9)
    return count_temp_files(monkeypatch)


def _url(pt) -> str:
    return f"/portal/prereview/new/{pt.hall.code}/{pt.residence.code}/"


def _files(pt, size: int) -> dict:
    return {
        f"material_{m.pk}": pdf(f"材料{i}.pdf", size=size)
        for i, m in enumerate(pt.residence.materials.all())
    }


def test_six_files_under_their_limit_but_over_the_global_one_are_filed(pt, six):
    sent = {"name": "陈丽", "phone": CHEN_PHONE, **_files(pt, 900 * 1024)}  # 5.3 MB > 5 MB
    got = Client().post(_url(pt), sent)
    review = PreReview.objects.get()
    assert got.status_code == 302 and got["Location"].endswith(f"/s/{review.token}/")
    assert review.files.count() == 6 and len(six) == 6


def test_files_above_the_form_s_limit_come_back_on_the_form_and_none_is_kept(pt, six):
    sent = {"name": "陈丽", "phone": CHEN_PHONE, "id_number": "", **_files(pt, 3 * MB // 2)}  # 9 MB
    got = Client().post(_url(pt), sent)
    assert got.status_code == 413 and not PreReview.objects.exists()
    page = got.content.decode()
    assert 'data-testid="form-errors"' in page and "6 MB" in page
    assert 'value="陈丽"' in page and CHEN_PHONE in page
    assert six == []  # skipped before any reached the disk


def test_a_resubmit_above_its_limit_comes_back_on_her_page(pt, six):
    review = pt.chen_files()
    PreReview.objects.filter(pk=review.pk).update(
        state=PreReviewState.MORE_NEEDED, missing=[pt.lease.pk]
    )
    got = Client().post(
        f"/portal/prereview/s/{review.token}/resubmit",
        {f"material_{pt.lease.pk}": pdf("租赁合同.pdf", size=7 * MB)},
    )
    assert got.status_code == 413 and 'data-testid="form-errors"' in got.content.decode()
    assert six == [] and review.files.count() == 2


def test_a_body_far_above_the_form_s_limit_is_refused_before_it_is_read(pt, six):
    # The form's limit (6 MB and the form) and the global one (5 MB) together are the most read.
    sent = {"name": "陈丽", "phone": CHEN_PHONE, f"material_{pt.id_card.pk}": pdf(size=12 * MB)}
    got = Client().post(_url(pt), sent)
    assert got.status_code == 413 and not PreReview.objects.exists() and six == []
    assert 'value="陈丽"' not in got.content.decode()
