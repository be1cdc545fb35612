"""Backup and restore (``hotline backup`` / ``hotline restore``) on the database the suite runs
on — SQLite through the online backup API, PostgreSQL through pg_dump/pg_restore."""

from __future__ import annotations

import io
import json
import shutil
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from hotline.orders import actions
from hotline.orders.models import Event, State, WorkOrder
from tests.orders.factory import new_order

pytestmark = pytest.mark.django_db(transaction=True)  # the backup reads committed data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_restore_brings_back_orders_events_and_attachments(district, media, tmp_path):
    lamp = new_order(district)
    actions.dispatch(lamp, district.dan, lead_unit=district.street)
    photo = SimpleUploadedFile("lamp.jpg", b"\xff\xd8\xff\xe0lamp", content_type="image/jpeg")
    actions.attach(lamp, district.olga, upload=photo)
    archive = tmp_path / "nightly.tar"
    call_command("backup", "--out", str(archive), stdout=io.StringIO(), stderr=io.StringIO())

    # After the backup: Una signs for the order, a new call comes in, the disk loses the photos.
    actions.accept(WorkOrder.objects.get(pk=lamp.pk), district.una)
    later = new_order(district, title="夜间施工噪音")
    shutil.rmtree(media)

    call_command("restore", str(archive), "--yes", stderr=io.StringIO())

    restored = WorkOrder.objects.get(number=lamp.number)
    assert restored.state == State.DISPATCHED
    # The attachment's comment is there; the accept made after the backup is not.
    assert list(Event.objects.filter(order=restored).values_list("seq", "action")) == [
        (1, "register"),
        (2, "dispatch"),
        (3, "comment"),
    ]
    assert not WorkOrder.objects.filter(number=later.number).exists()
    attachment = restored.attachments.get()
    assert attachment.file.read() == b"\xff\xd8\xff\xe0lamp"
    # Life goes on: the next order gets the next number, events stay append-only.
    assert new_order(district).number > lamp.number


def test_restore_asks_for_confirmation_and_refuses_what_is_not_a_backup(district, tmp_path):
    archive = tmp_path / "b.tar"
    call_command("backup", "--out", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    junk = tmp_path / "junk.tar"
    with tarfile.open(junk, "w"):
        pass
    with pytest.raises(CommandError, match="不是热线系统的备份"):
        call_command("restore", str(junk), "--yes")


def test_the_archive_says_what_it_holds(district, tmp_path):
    archive = tmp_path / "b.tar"
    call_command("backup", "--out", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    with tarfile.open(archive) as t:
        names = t.getnames()
        manifest = json.loads(t.extractfile("manifest.json").read())
    assert "manifest.json" in names
    assert manifest["format"] == "hotline-backup/1"
    assert "security.0001_initial" in manifest["migrations"]
    assert any(n.startswith("database.") for n in names)
