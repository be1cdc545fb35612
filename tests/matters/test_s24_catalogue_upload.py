"""A district admin keeps the matter catalogue from a spreadsheet in the browser (walk-through,
session 24, M1: the import existed only as ``hotline matters import``, and an admin on the
intranet has no shell): upload, problems per row and column with nothing written, check only,
import, export in the same columns."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from hotline.interchange.tables import write_table
from hotline.matters.models import Matter
from hotline.org.models import User

pytestmark = pytest.mark.django_db

HEADER = ("code", "name", "unit", "kind", "promised_days", "statutory_days", "visits")
GOOD = [
    ("shtt-zc", "社会团体章程核准", "mzj", "promised", "10", "20", "1"),
    ("shtt-bg", "社会团体变更登记", "mzj", "promised", "10", "20", "1"),
]
BAD = [*GOOD, ("shtt-yq", "社会团体有效期延续", "nosuchunit", "promised", "30", "20", "1")]


def workbook(rows) -> SimpleUploadedFile:
    out = io.BytesIO()
    write_table(out, "xlsx", HEADER, rows, title="matters")
    return SimpleUploadedFile("事项.xlsx", out.getvalue())


@pytest.fixture
def ada(client):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


def send(client, rows, *, dry_run: bool):
    data = {"kind": "matters", "file": workbook(rows)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("admin:matters_matter_import"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_catalogue_page_links_to_the_import(ada):
    page = ada.get(reverse("admin:matters_matter_changelist")).content.decode()
    assert reverse("admin:matters_matter_import") in page


def test_a_bad_row_is_named_and_nothing_is_written(ada, district):
    response = send(ada, BAD, dry_run=False)
    assert response.status_code == 422
    text = response.content.decode()
    assert "第 4 行" in text and "unit" in text and "promised_days" in text
    assert not Matter.objects.exists()


def test_check_only_writes_nothing_then_the_import_writes_every_row(ada, district):
    checked = send(ada, GOOD, dry_run=True)
    assert checked.status_code == 200
    assert 'data-testid="import-checked"' in checked.content.decode()
    assert not Matter.objects.exists()

    imported = send(ada, GOOD, dry_run=False)
    assert imported.status_code == 302
    assert set(Matter.objects.values_list("code", flat=True)) == {"shtt-zc", "shtt-bg"}


def test_a_file_that_is_not_a_table_is_refused_with_why(ada, district):
    response = ada.post(
        reverse("admin:matters_matter_import"),
        {"kind": "matters", "file": SimpleUploadedFile("事项.pdf", b"%PDF-1.4")},
    )
    assert response.status_code == 422
    assert 'data-testid="import-unreadable"' in response.content.decode()


def test_the_export_round_trips_through_the_import(ada, district):
    send(ada, GOOD, dry_run=False)
    exported = ada.get(reverse("admin:matters_matter_export", args=["matters", "xlsx"]))
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {"shtt-zc", "shtt-bg"}
    assert ada.get("/admin/matters/matter/export/nothing.xlsx").status_code == 404


def test_someone_who_may_not_change_the_catalogue_cannot_import(client, district):
    client.force_login(district.olga)
    response = client.post(
        reverse("admin:matters_matter_import"), {"kind": "matters", "file": workbook(GOOD)}
    )
    assert response.status_code in (302, 403)
    assert not Matter.objects.exists()
