"""`hotline backup` wrote the archive with the process umask, 0644 here: every citizen's number
readable by any local user (walk-through, session 25, A-L4). It is created 0600."""

from __future__ import annotations

import io
import os
import stat
import tarfile

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)  # the backup reads committed data


def test_the_archive_is_readable_by_its_owner_only(district, tmp_path):
    archive = tmp_path / "b.tar"
    old = os.umask(0o022)
    try:
        call_command("backup", "--out", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    finally:
        os.umask(old)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as t:
        assert "manifest.json" in t.getnames()
