"""``hotline kb import``: per-row errors, dry run, all or nothing; export imports back."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from hotline.kb.interchange import export_articles, import_articles
from hotline.kb.models import Article, ArticleState

HEADER = [
    "title",
    "body",
    "unit",
    "keywords",
    "categories",
    "effective_on",
    "review_by",
    "public",
    "state",
]
GOOD = [
    [
        "低保申请条件",
        "家庭人均收入低于低保标准。",
        "mzj",
        "低保",
        "",
        "2024-01-01",
        "2026-12-31",
        "是",
        "",
    ],
    [
        "路灯报修",
        "拨打12345或联系街道。",
        "江宁路街道",
        "路灯",
        "cxjs-szss-ldps",
        "",
        "",
        "yes",
        "in_review",
    ],
]


def _csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_clean_file_creates_every_article_in_its_state(district):
    report = import_articles(io.BytesIO(_csv(GOOD)), "csv")
    assert report.ok and report.created == 2
    low = Article.objects.get(title="低保申请条件")
    assert low.state == ArticleState.PUBLISHED and low.published == low.head
    assert low.public and low.unit == district.bureau
    lamp = Article.objects.get(title="路灯报修")
    assert lamp.state == ArticleState.IN_REVIEW and list(lamp.head.categories.all()) == [
        district.category
    ]
    assert [e.action for e in low.events.all()] == ["create", "submit", "publish"]


def test_one_bad_row_imports_nothing_and_every_problem_is_listed(district):
    bad = [
        *GOOD,
        ["", "正文", "nowhere", "", "no-such-cat", "2024-13-01", "", "maybe", "lost"],
    ]
    report = import_articles(io.BytesIO(_csv(bad)), "csv")
    assert not report.ok and report.created == 0
    errors = [e for n, e in report.errors if n == 4]
    assert len(errors) == 6, errors  # title, unit, category, date, public, state
    assert not Article.objects.exists()


def test_dry_run_writes_nothing(district, tmp_path, capsys):
    path = tmp_path / "kb.csv"
    path.write_bytes(_csv(GOOD))
    call_command("kb", "import", str(path), "--dry-run")
    assert json.loads(capsys.readouterr().out)["rows"] == 2
    assert not Article.objects.exists()


def test_the_command_fails_with_row_numbers(district, tmp_path, capsys):
    path = tmp_path / "kb.csv"
    path.write_bytes(_csv([["标题", "", "mzj", "", "", "", "", "", ""]]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("kb", "import", str(path))
    assert "row 2: body is empty." in capsys.readouterr().err


def test_a_missing_column_is_reported(district):
    report = import_articles(io.BytesIO(_csv([["x"]], header=["title"])), "csv")
    assert report.errors == [(1, "Missing column(s): body, unit")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back(district, fmt):
    import_articles(io.BytesIO(_csv(GOOD)), "csv")
    out = io.BytesIO()
    assert export_articles(out, fmt) == 2
    out.seek(0)
    Article.objects.update(title="old")  # not touching revisions: a second import adds two more
    report = import_articles(out, fmt)
    assert report.ok and report.created == 2
    again = Article.objects.exclude(title="old")
    assert {a.title for a in again} == {"低保申请条件", "路灯报修"}
    assert {a.state for a in again} == {ArticleState.PUBLISHED, ArticleState.IN_REVIEW}
