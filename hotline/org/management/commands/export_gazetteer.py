"""``hotline export-gazetteer [--out FILE]``: the gazetteer as CSV, in the format that
``hotline import-gazetteer`` reads (stdout unless ``--out``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.org.gazetteer_io import export_places


class Command(BaseCommand):
    help = "Export the gazetteer as CSV (kind,name,number_from,number_to,street,community)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="write to this file instead of stdout")

    def handle(self, *args: Any, out: str | None, **options: Any) -> None:
        if not out:
            export_places(self.stdout)
            return
        try:
            with open(out, "w", encoding="utf-8", newline="") as stream:
                count = export_places(stream)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": out, "error": exc}
            ) from exc
        self.stderr.write(_("Exported %(n)d places to %(file)s.") % {"n": count, "file": out})
