"""The admin's catalogue import (4997622) says who imported what, and caps what one upload may
hold (review r1 L2): a real import wrote matters citizens read with no trace of the person, and
a file was read whole, every row kept, up to the request body's limit."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hotline.interchange.tables import TableError, read_table
from hotline.matters import admin as matters_admin
from hotline.matters.models import Matter
from tests.matters.test_s24_catalogue_upload import GOOD, HEADER, ada, send  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_import_names_who_did_it_and_what_it_did(ada, district):  # noqa: F811
    assert send(ada, GOOD, dry_run=False).status_code == 302
    entry = LogEntry.objects.get()
    assert entry.user.username == "ada-admin" and entry.action_flag == CHANGE
    assert entry.content_type.model_class() is Matter
    assert "事项.xlsx" in entry.change_message and "created 2" in entry.change_message
    # Again: the two are updated, and that is recorded too.
    assert send(ada, GOOD, dry_run=False).status_code == 302
    assert LogEntry.objects.order_by("-pk").first().change_message.endswith("created 0, updated 2.")


def test_checking_only_or_a_refused_file_records_nothing(ada, district):  # noqa: F811
    send(ada, GOOD, dry_run=True)
    send(ada, [*GOOD, ("x", "x", "nosuchunit", "promised", "1", "1", "1")], dry_run=False)
    assert not LogEntry.objects.exists()


def test_a_file_past_the_row_cap_is_refused_saying_the_cap(ada, district, monkeypatch):  # noqa: F811
    monkeypatch.setattr(matters_admin, "MAX_ROWS", 1)
    response = send(ada, GOOD, dry_run=True)
    assert response.status_code == 422
    text = response.content.decode()
    assert 'data-testid="import-unreadable"' in text and "1 行" in text
    assert not Matter.objects.exists()


def test_a_file_past_the_size_cap_is_refused_before_it_is_read(ada, district, monkeypatch):  # noqa: F811
    monkeypatch.setattr(matters_admin, "MAX_UPLOAD_MB", 1)
    big = "code,name\n" + "x" * (1024 * 1024 + 1) + ",y\n"
    response = ada.post(
        reverse("admin:matters_matter_import"),
        {"kind": "matters", "file": SimpleUploadedFile("大.csv", big.encode()), "dry_run": "on"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    assert "1 MB" in response.content.decode()


def test_read_table_stops_at_the_cap():
    import io

    text = "code\n" + "".join(f"c{i}\n" for i in range(5))
    assert len(read_table(io.BytesIO(text.encode()), "csv", max_rows=5).rows) == 5
    with pytest.raises(TableError):
        read_table(io.BytesIO(text.encode()), "csv", max_rows=4)
    assert HEADER
