"""``hotline kb``: evaluate the search, import and export articles, urge overdue reviews.

- ``hotline kb evaluate --articles A.csv --queries Q.csv [--no-synonyms | --synonyms FILE]
  [--synonym-weight W] [--portal-cutoff]``: one JSON line (recall_at_1/5/10, mrr, search_ms_p95,
  index_seconds). The index learns from the articles file only; queries are expanded with the
  synonyms list shipped with the product unless ``--no-synonyms``. ``--portal-cutoff``: only
  what the portal's search shows a citizen counts (and how often it shows nothing).
- ``hotline kb import FILE.xlsx|.csv [--dry-run]``: all or nothing; every row's problems listed.
- ``hotline kb export FILE.xlsx|.csv``: every article's newest revision, in the import's columns.
- ``hotline kb urge``: urge the articles past their review date now (the worker does it too).
- ``hotline kb demo-articles [FILE]``: write the demo's articles (hotline.kb.demo.generate) to
  ``hotline/kb/demo/articles.csv``, or to FILE.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.interchange.tables import TableError, format_of
from hotline.kb import actions
from hotline.kb.interchange import export_articles, import_articles
from hotline.kb.search import synonyms as kbsynonyms
from hotline.kb.search.engine import PORTAL_CUTOFF
from hotline.kb.search.evaluate import evaluate


class Command(BaseCommand):
    help = "Evaluate the knowledge-base search; import and export articles."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("evaluate", help="rank the articles for each query; one JSON line")
        ev.add_argument("--articles", required=True, help="CSV: article_id,unit,keywords,body")
        ev.add_argument("--queries", required=True, help="CSV: query,article_id")
        chosen = ev.add_mutually_exclusive_group()
        chosen.add_argument(
            "--synonyms",
            default=str(kbsynonyms.DEFAULT_FILE),
            help="CSV: terms,one_way; the list queries are expanded with (default: the list "
            "shipped with the product, hotline/kb/data/synonyms.csv)",
        )
        chosen.add_argument(
            "--no-synonyms", action="store_true", help="expand no query: words as typed only"
        )
        ev.add_argument(
            "--synonym-weight",
            type=float,
            default=kbsynonyms.DEFAULT_WEIGHT,
            help="a synonym's weight as a share of the query's own word "
            f"(default {kbsynonyms.DEFAULT_WEIGHT})",
        )
        ev.add_argument(
            "--portal-cutoff",
            action="store_true",
            help="leave out what the portal's search does not show a citizen (too weak a match)",
        )
        im = sub.add_parser("import", help="import articles from .xlsx or .csv (all or nothing)")
        im.add_argument("file")
        im.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        ex = sub.add_parser("export", help="export every article to .xlsx or .csv")
        ex.add_argument("file")
        sub.add_parser("urge", help="urge the articles past their review date")
        demo = sub.add_parser(
            "demo-articles", help="write the demo's articles (hotline/kb/demo/articles.csv)"
        )
        demo.add_argument("file", nargs="?", help="write here instead")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        handler = getattr(self, f"do_{action.replace('-', '_')}")
        handler(**options)

    def do_evaluate(
        self,
        *,
        articles: str,
        queries: str,
        synonyms: str,
        no_synonyms: bool,
        synonym_weight: float,
        portal_cutoff: bool = False,
        **_: Any,
    ) -> None:
        if not 0 <= synonym_weight <= 1:
            raise CommandError("--synonym-weight must be between 0 and 1")
        try:
            table = None if no_synonyms else kbsynonyms.Synonyms(kbsynonyms.read_file(synonyms))
            result = evaluate(
                articles,
                queries,
                synonyms=table,
                synonym_weight=synonym_weight,
                cutoff=PORTAL_CUTOFF if portal_cutoff else None,
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def do_import(self, *, file: str, dry_run: bool, **_options: Any) -> None:
        try:
            fmt = format_of(file)
            with open(file, "rb") as handle:
                report = import_articles(handle, fmt, dry_run=dry_run)
        except (OSError, TableError) as exc:
            raise CommandError(str(exc)) from exc
        for number, error in report.errors:
            self.stderr.write(_("row %(row)d: %(error)s") % {"row": number, "error": error})
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        if not report.ok:
            raise CommandError(
                _("Nothing was imported: %(count)d problem(s).") % {"count": len(report.errors)}
            )

    def do_export(self, *, file: str, **_options: Any) -> None:
        try:
            fmt = format_of(file)
            with open(Path(file), "wb") as handle:
                count = export_articles(handle, fmt)
        except (OSError, TableError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"exported": count, "file": file}, ensure_ascii=False))

    def do_urge(self, **_options: Any) -> None:
        self.stdout.write(json.dumps({"urged": actions.urge_overdue_reviews()}))

    def do_demo_articles(self, *, file: str | None = None, **_options: Any) -> None:
        from hotline.kb.demo import generate

        path = Path(file) if file else generate.ARTICLES_CSV
        count = generate.write(path)
        self.stdout.write(json.dumps({"written": count, "file": str(path)}, ensure_ascii=False))
