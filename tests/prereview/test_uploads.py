"""What a citizen may upload: a PDF or a photo per material of the matter, within the size
limit, with a real name and mobile. Anything else is refused with a clear error and nothing is
stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.matters.models import Matter
from hotline.prereview import actions
from hotline.prereview.models import PreReview, PreReviewFile
from tests.prereview.conftest import CHEN_PHONE, pdf, png


def submit(pt, uploads, **kw):
    fields = {"name": "陈丽", "phone": CHEN_PHONE, **kw}
    return actions.submit(pt.hall, pt.residence, uploads=uploads, **fields)


def refused(pt, uploads, field: str, **kw) -> str:
    with pytest.raises(actions.InvalidInput) as caught:
        submit(pt, uploads, **kw)
    assert caught.value.field == field
    assert not PreReview.objects.exists() and not PreReviewFile.objects.exists()
    return caught.value.message


def test_a_file_over_the_limit_is_refused(pt, settings):
    settings.MAX_ATTACHMENT_MB = 1
    big = pdf("身份证.pdf", size=1024 * 1024 + 1)
    message = refused(pt, {pt.id_card.pk: big}, f"material_{pt.id_card.pk}")
    assert "1 MB" in message


def test_a_program_or_a_document_is_refused(pt):
    exe = SimpleUploadedFile("身份证.exe", b"MZ\x90\x00" + b"\x00" * 60)
    refused(pt, {pt.id_card.pk: exe}, f"material_{pt.id_card.pk}")
    word = SimpleUploadedFile("登记表.docx", b"PK\x03\x04" + b"\x00" * 60)
    refused(pt, {pt.form.pk: word}, f"material_{pt.form.pk}")


def test_a_file_named_pdf_that_is_not_one_is_refused(pt):
    fake = SimpleUploadedFile("身份证.pdf", b"<html><script>alert(1)</script></html>")
    message = refused(pt, {pt.id_card.pk: fake}, f"material_{pt.id_card.pk}")
    assert "PDF" in message


def test_an_empty_file_is_refused(pt):
    refused(pt, {pt.id_card.pk: SimpleUploadedFile("a.pdf", b"")}, f"material_{pt.id_card.pk}")


def test_nothing_uploaded_is_refused(pt):
    refused(pt, {}, "")


def test_a_material_of_another_matter_is_refused(pt):
    other = pt.ct.charter.materials.first()
    refused(pt, {other.pk: pdf()}, "")


def test_her_name_and_mobile_are_checked(pt):
    refused(pt, {pt.id_card.pk: pdf()}, "name", name="  ")
    refused(pt, {pt.id_card.pk: pdf()}, "phone", phone="021-5555")
    refused(pt, {pt.id_card.pk: pdf()}, "id_number", id_number="123")


def test_a_matter_closed_to_prereview_or_a_hall_without_it_is_refused(pt):
    Matter.objects.filter(pk=pt.residence.pk).update(prereview_allowed=False)
    pt.residence.refresh_from_db()
    refused(pt, {pt.id_card.pk: pdf()}, "matter")
    Matter.objects.filter(pk=pt.residence.pk).update(prereview_allowed=True)
    pt.residence.refresh_from_db()
    charter = pt.ct.charter
    Matter.objects.filter(pk=charter.pk).update(prereview_allowed=True)
    charter.refresh_from_db()
    # 社会团体章程核准 is handled at 大宁路 only, not at the other hall.
    with pytest.raises(actions.InvalidInput) as caught:
        actions.submit(
            pt.other_window.hall,
            charter,
            name="陈丽",
            phone=CHEN_PHONE,
            uploads={charter.materials.first().pk: pdf()},
        )
    assert caught.value.field == "hall"


def test_the_stored_name_is_safe(pt):
    review = submit(pt, {pt.id_card.pk: png("../../etc/身份证 正面.png")})
    stored = review.files.get()
    assert stored.name == "身份证_正面.png"
    assert ".." not in stored.file.name and stored.file.name.startswith(
        f"prereview/{review.number}/1/"
    )
