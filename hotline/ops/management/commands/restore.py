"""``hotline restore FILE --yes``: replace the database and the attachments with a backup's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
                    f"{path} is a {manifest['engine']} backup of {manifest['created_at']}. "
                    "Restoring replaces the current database: run again with --yes."
                )
            restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(f"restored {path} (made {manifest['created_at']})")
