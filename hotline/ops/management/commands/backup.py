"""``hotline backup [--out FILE]``: the database and the attachments in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.ops.backup import BackupError, backup, default_path


class Command(BaseCommand):
    help = "Back up the database and the attachments (online: the server may keep running)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", help="archive to write (default: $HOTLINE_DATA_DIR/backups/hotline-TIME.tar)"
        )

    def handle(self, *args: Any, out: str | None, **options: Any) -> None:
        path = Path(out) if out else default_path()
        try:
            manifest = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
        self.stderr.write(
            _("%(engine)s database and attachments backed up to %(path)s (%(size)d KiB)")
            % {"engine": manifest["engine"], "path": path, "size": path.stat().st_size // 1024}
        )
