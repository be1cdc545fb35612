"""``hotline restore FILE --yes``: replace the database and the attachments with a backup's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.ops.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `hotline backup`: REPLACES the database. Stop the web and "
        "worker processes first; run `hotline migrate` afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--yes", action="store_true", help="really replace the current database"
        )

    def handle(self, *args: Any, file: str, yes: bool, **options: Any) -> None:
        path = Path(file)
        try:
            manifest = read_manifest(path)
            if not yes:
                raise CommandError(
                    _(
                        "%(path)s is a %(engine)s backup of %(at)s. Restoring replaces the "
                        "current database: run again with --yes."
                    )
                    % {"path": path, "engine": manifest["engine"], "at": manifest["created_at"]}
                )
            restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            _("Restored %(path)s (made %(at)s)") % {"path": path, "at": manifest["created_at"]}
        )
