"""A 413 names the limit that refused the body, and a page's 413 says what was typed is kept.

Before, every 413 said "at most 5 MB" (Django's DATA_UPLOAD_MAX_MEMORY_SIZE, which counts a
form's fields without its files): also Una's attachment refused by the site-wide body limit
(MAX_REQUEST_BODY_MB, 41 MB by default), so she was told 5 MB for a file of 8. The page was bare
text; now it says nothing was saved and that the browser's Back keeps what she typed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.orders.models import State
from tests.forms import logged_in
from tests.orders.factory import order_in

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def test_unas_attachment_above_the_site_wide_limit_names_that_limit(district, settings):
    settings.MAX_REQUEST_BODY_MB = 2
    order = order_in(State.ACCEPTED, district)
    big = SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (3 * MB))
    got = logged_in(district.una).post(
        f"/orders/{order.number}/attach", {"file": big}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = got.content.decode()
    assert got.status_code == 413
    assert "at most 2 MB" in page and "5 MB" not in page
    assert 'data-testid="error-413"' in page and "Back" in page and "still in the form" in page
    assert not order.attachments.exists()


def test_a_forms_text_above_the_fields_limit_says_so_in_chinese(district, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1 * MB
    order = order_in(State.ACCEPTED, district)
    got = logged_in(district.una).post(
        f"/orders/{order.number}/attach",
        {"note": "很" * MB, "file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n")},
    )
    page = got.content.decode()
    assert got.status_code == 413
    assert "最多 1 MB" in page and "不含附件" in page
