"""Articles in and out of spreadsheets: ``hotline kb import`` / ``hotline kb export``.

An import is all or nothing: every row is checked first (unit, categories, dates, state) and every
problem is reported with its row number; only a file without problems is written, in one
transaction, through the actions (so every imported article has its revision and events like any
other). ``dry_run`` checks and reports without writing. Columns (the header row, any order):

``title, body, unit, keywords, categories, source_name, source_number, effective_on, review_by,
public, state`` — ``unit`` a unit code or name; ``categories`` category codes separated by commas;
``public`` yes/no (是/否, true/false, 1/0); ``state`` draft, in_review, published (the default:
an import is the centre's own content) or retired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.interchange.tables import Table, read_table, write_table
from hotline.kb import actions
from hotline.kb.actions import Content
from hotline.kb.columns import COLUMNS
from hotline.kb.models import Article, ArticleState
from hotline.kb.rules import ActionError
from hotline.org.models import Category, Unit

REQUIRED = ("title", "body", "unit")
_TRUE = {"1", "true", "yes", "y", "是", "公开"}
_FALSE = {"", "0", "false", "no", "n", "否", "内部", "不公开"}
_STATES = {
    "": ArticleState.PUBLISHED,
    "draft": ArticleState.DRAFT,
    "草稿": ArticleState.DRAFT,
    "in_review": ArticleState.IN_REVIEW,
    "待审核": ArticleState.IN_REVIEW,
    "published": ArticleState.PUBLISHED,
    "已发布": ArticleState.PUBLISHED,
    "retired": ArticleState.RETIRED,
    "已废止": ArticleState.RETIRED,
}


@dataclass
class ImportReport:
    """What an import found: the rows it would write and every problem, by row number."""

    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "dry_run": self.dry_run,
            "errors": [{"row": n, "error": e} for n, e in self.errors],
        }


@dataclass
class _Row:
    number: int
    content: Content
    state: ArticleState


def _date(raw: str, column: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise ValueError(
            _("%(column)s: %(value)r is not a date (YYYY-MM-DD).")
            % {"column": column, "value": raw}
        ) from None


#: Unit code or name → unit, and category code → category: what a row's references are read by.
Lookups = tuple[dict[str, Unit], dict[str, Category]]


def lookups() -> Lookups:
    """The units (by code and by name) and categories (by code) an import reads its rows by.

    Read once per import; a caller importing several files in a row while the units and
    categories stay the same (the demo's articles, one file per effective day) reads them once."""
    units: dict[str, Unit] = {}
    for each in Unit.objects.all():
        units[each.code] = units[each.name] = each
    return units, {c.code: c for c in Category.objects.all()}


def _parse(table: Table, report: ImportReport, found: Lookups) -> list[_Row]:
    units, categories = found
    parsed = []
    for number, row in table.rows:
        problems = []
        for column in REQUIRED:
            if not row.get(column):
                problems.append(_("%(column)s is empty.") % {"column": column})
        unit = units.get(row.get("unit", ""))
        if row.get("unit") and unit is None:
            problems.append(_("No unit %(unit)r.") % {"unit": row["unit"]})
        cats = []
        for code in filter(None, (c.strip() for c in row.get("categories", "").split(","))):
            if code in categories:
                cats.append(categories[code])
            else:
                problems.append(_("No category %(code)r.") % {"code": code})
        dates = {}
        for column in ("effective_on", "review_by"):
            try:
                dates[column] = _date(row.get(column, ""), column)
            except ValueError as exc:
                problems.append(str(exc))
        public_raw = row.get("public", "").lower()
        if public_raw not in _TRUE | _FALSE:
            problems.append(_("public: %(value)r is neither yes nor no.") % {"value": public_raw})
        state = _STATES.get(row.get("state", "").lower())
        if state is None:
            problems.append(_("state: %(value)r is unknown.") % {"value": row["state"]})
        if problems:
            report.errors.extend((number, p) for p in problems)
            continue
        assert unit is not None and state is not None
        content = Content(
            title=row["title"],
            body=row["body"],
            unit=unit,
            keywords=row.get("keywords", ""),
            categories=cats,
            source_name=row.get("source_name", ""),
            source_number=row.get("source_number", ""),
            effective_on=dates["effective_on"],
            review_by=dates["review_by"],
            public=public_raw in _TRUE,
        )
        try:
            content.cleaned()
        except ActionError as exc:
            report.errors.append((number, exc.message))
            continue
        parsed.append(_Row(number, content, state))
    return parsed


def import_articles(
    source: BinaryIO,
    fmt: str,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    found: Lookups | None = None,
) -> ImportReport:
    """Check every row, then (unless ``dry_run`` or any row is wrong) create them all.

    ``found``: the units and categories as :func:`lookups` reads them, if the caller already
    has them (read here otherwise)."""
    now = now or clock.now()
    table = read_table(source, fmt)
    report = ImportReport(rows=len(table.rows), dry_run=dry_run)
    missing = table.missing(REQUIRED)
    if missing:
        report.errors.append(
            (1, _("Missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
        )
        return report
    rows = _parse(table, report, lookups() if found is None else found)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for row in rows:
            save(row.content, row.state, now=now)
            report.created += 1
    return report


def save(content: Content, state: ArticleState, *, now: dt.datetime) -> Article:
    """Create one article as the system and bring it to ``state`` through the actions."""
    article = actions.create(None, content, now=now)
    if state != ArticleState.DRAFT:
        actions.submit(article, None, now=now)
    if state in (ArticleState.PUBLISHED, ArticleState.RETIRED):
        actions.publish(article, None, now=now)
    if state == ArticleState.RETIRED:
        actions.retire(article, None, reason=_("Imported as retired."), now=now)
    return article


def _export_rows(articles: Any) -> Iterator[list[Any]]:
    for article in articles:
        revision = article.head
        yield [
            revision.title,
            revision.body,
            revision.unit.code,
            revision.keywords,
            ",".join(sorted(c.code for c in revision.categories.all())),
            revision.source_name,
            revision.source_number,
            revision.effective_on,
            revision.review_by,
            "yes" if revision.public else "no",
            article.state,
        ]


def export_articles(out: BinaryIO | IO[bytes], fmt: str) -> int:
    """Every article's newest revision, in the import's columns (an export imports back)."""
    articles = (
        Article.objects.select_related("head", "head__unit")
        .prefetch_related("head__categories")
        .order_by("pk")
    )
    return write_table(out, fmt, COLUMNS, _export_rows(articles), title=_("Knowledge base"))
