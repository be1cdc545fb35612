"""Policy PDFs and forms attach to articles as files attach to orders."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.kb import actions
from tests.kb.factory import content


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_unit_attaches_the_policy_pdf(district):
    article = actions.create(district.victor, content(district.bureau))
    pdf = SimpleUploadedFile("低保办法.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attachment = actions.attach(article, district.victor, upload=pdf, note="政策原文")
    assert attachment.name == "低保办法.pdf" and attachment.size == 13
    assert article.events.last().action == "attach"


def test_an_executable_or_another_units_upload_is_refused(district):
    article = actions.create(district.victor, content(district.bureau))
    with pytest.raises(actions.InvalidInput):
        actions.attach(article, district.victor, upload=SimpleUploadedFile("x.exe", b"MZ"))
    with pytest.raises(actions.NotAllowed):
        actions.attach(article, district.una, upload=SimpleUploadedFile("a.pdf", b"%PDF"))
    assert not article.attachments.exists()
