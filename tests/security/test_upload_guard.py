"""A multipart body puts nothing on disk before it is known to be welcome (attacker's leftover of
session 20: outside nginx Django wrote every file of a body to a temporary file wherever
``request.POST`` was first read — the CSRF check does, before any view asks who is posting —
so a stranger's body of any size reached the disk). Now a body above ``MAX_REQUEST_BODY_MB`` is
a 413 before it is read, and a stranger's or an outsider's files to a staff page are skipped.

Una's street handles the order; Victor's bureau has no business with it; a stranger has a CSRF
cookie (any page gives one) and no login. Files above 1 KB go to a temporary file here, so
each one stored is counted."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hotline.orders.models import State
from tests.forms import logged_in
from tests.orders.factory import order_in
from tests.uploads import count_temp_files

pytestmark = pytest.mark.django_db

#: A CSRF secret and the same token in the form: what a script copies from any page.
CSRF = "a" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * (64 * 1024)


@pytest.fixture
def temp_files(settings, monkeypatch, tmp_path) -> list[str]:
    """The temporary files Django opens for uploads in this test."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "media"
    return count_temp_files(monkeypatch)


def _post(client: Client, url: str, **extra):
    client.cookies["csrftoken"] = CSRF
    return client.post(
        url,
        {
            "csrfmiddlewaretoken": CSRF,
            "file": SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
        },
        **extra,
    )


def _browser(user=None) -> Client:
    client = logged_in(user) if user else Client()
    client.handler.enforce_csrf_checks = True
    return client


def test_a_strangers_upload_to_an_order_stores_nothing(district, temp_files):
    order = order_in(State.ACCEPTED, district)
    got = _post(_browser(), f"/orders/{order.number}/attach")
    assert got.status_code == 302 and "/accounts/login/" in got["Location"]
    assert temp_files == []


def test_an_outsider_s_upload_to_an_order_he_cannot_see_stores_nothing(district, temp_files):
    order = order_in(State.ACCEPTED, district)
    got = _post(_browser(district.victor), f"/orders/{order.number}/attach")
    assert got.status_code == 404 and temp_files == []
    assert not order.attachments.exists()


def test_una_s_upload_to_her_order_is_stored(district, temp_files):
    order = order_in(State.ACCEPTED, district)
    got = _post(_browser(district.una), f"/orders/{order.number}/attach")
    # A plain form post (no htmx) is answered with the order page again (1b3fe7f).
    assert got.status_code == 302 and got["Location"] == f"/orders/{order.number}/"
    assert temp_files == ["现场照片.png"]
    assert order.attachments.count() == 1


def test_a_handler_who_may_not_import_synonyms_stores_nothing(district, temp_files):
    got = _post(_browser(district.una), "/kb/synonyms/import")
    assert got.status_code == 403 and temp_files == []


def test_a_body_above_the_limit_is_refused_before_it_is_read(district, temp_files, settings):
    settings.MAX_REQUEST_BODY_MB = 1
    big = SimpleUploadedFile("photo.png", PNG + b"\x00" * (2 * 1024 * 1024))
    stranger = _browser()
    stranger.cookies["csrftoken"] = CSRF
    got = stranger.post("/portal/submit/", {"csrfmiddlewaretoken": CSRF, "photo": big})
    assert got.status_code == 413 and temp_files == []
    # The same body from staff to their own order: the limit is the whole site's.
    order = order_in(State.ACCEPTED, district)
    client = _browser(district.una)
    client.cookies["csrftoken"] = CSRF
    got = client.post(
        f"/orders/{order.number}/attach",
        {"csrfmiddlewaretoken": CSRF, "file": SimpleUploadedFile("a.png", big.file.getvalue())},
    )
    assert got.status_code == 413 and temp_files == []
