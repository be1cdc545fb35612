"""Backups: one ``.tar`` file holding the database, the attachments and a manifest.

- SQLite: the database is copied with SQLite's online backup API, a consistent snapshot even
  while the server writes (no need to stop it).
- PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot too); restored with
  ``pg_restore --clean --single-transaction``, all or nothing. The client binaries are taken from
  ``PG_BIN_DIR``, else the newest ``/usr/lib/postgresql/*/bin``, else ``PATH``; they must be at
  least the server's major version.
- Attachments (``MEDIA_ROOT``) travel in the same archive.

A restore replaces the database with the backup's and puts the attachments back; it needs the
same database engine and the same release's migrations (run ``hotline migrate`` after restoring
a backup from an older release). Stop the web and worker processes while restoring.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock

FORMAT = "hotline-backup/1"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore)."""
    configured = os.environ.get("PG_BIN_DIR", "").strip()
    candidates = [Path(configured)] if configured else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _("%(name)s not found: install the PostgreSQL client or set PG_BIN_DIR")
            % {"name": name}
        )
    return found


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or ""),
        PGPORT=str(db.get("PORT") or ""),
        PGUSER=str(db.get("USER") or ""),
        PGPASSWORD=str(db.get("PASSWORD") or ""),
        PGDATABASE=str(db["NAME"]),
    )
    return {k: v for k, v in env.items() if v != "" or not k.startswith("PG")}


def _run(args: list[str]) -> None:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": Path(args[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def _migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(clock.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(out: Path) -> dict[str, Any]:
    """Write a backup archive to ``out``; return its manifest."""
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(_("Cannot back up a %(vendor)s database.") % {"vendor": vendor})
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": clock.now().isoformat(),
        "engine": vendor,
        "migrations": _migrations(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        db_file = Path(scratch) / DB_MEMBER[vendor]
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            try:
                connection.connection.backup(target)  # consistent, online
            finally:
                target.close()
        else:
            _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(db_file)])
        partial = out.with_name(out.name + ".partial")
        # Readable by its owner only, whatever the umask: the archive holds every citizen's
        # number (walk-through, session 25, A-L4; a 0644 file was readable by any local user).
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(db_file, DB_MEMBER[vendor])
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, "media")
        partial.replace(out)  # a crash mid-way never leaves a truncated file under the real name
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(path) as archive:
            member = archive.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else {}
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(
            _("%(path)s is not a hotline backup: %(error)s") % {"path": path, "error": exc}
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("%(path)s is not a hotline backup (format %(format)r).")
            % {"path": path, "format": manifest.get("format")}
        )
    return manifest


def restore(path: Path) -> dict[str, Any]:
    """Replace the database and put back the attachments from the archive at ``path``."""
    manifest = read_manifest(path)
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(
            _("The backup is of a %(engine)s database; this one is %(vendor)s.")
            % {"engine": manifest["engine"], "vendor": vendor}
        )
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(path) as archive:
        archive.extractall(scratch, filter="data")
        db_file = Path(scratch) / DB_MEMBER[vendor]
        if vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(db_file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.close()  # pg_restore drops the tables: hold no lock on them
            _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                  "--single-transaction", "--dbname", str(settings.DATABASES["default"]["NAME"]),
                  str(db_file)])  # fmt: skip
        media = Path(scratch) / "media"
        if media.is_dir():
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return manifest


def default_path() -> Path:
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"hotline-{stamp}.tar"
