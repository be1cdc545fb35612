"""The demo reset removes the files the pre-reviews stored (once it has committed), and the
folders they leave empty — nothing outside the media folder's prereview/ folder, whatever a
stored name says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hotline.prereview.demo import delete_stored_files, purge_prereviews
from hotline.prereview.models import PreReview, PreReviewFile

pytestmark = pytest.mark.django_db


def test_the_reset_hook_deletes_the_stored_files_after_commit(
    pt, tmp_path, django_capture_on_commit_callbacks
):
    review = pt.chen_files()
    stored = [Path(f.file.path) for f in review.files.all()]
    assert len(stored) == 2 and all(p.is_file() for p in stored)
    neighbour = tmp_path / "orders" / "photo.png"  # an order's attachment in the same media folder
    neighbour.parent.mkdir()
    neighbour.write_bytes(b"kept")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        purge_prereviews()
    # Not before the reset commits: a failed reset keeps its rows and their files together.
    assert all(p.is_file() for p in stored)
    for callback in pending:
        callback()
    assert not PreReview.objects.exists() and not PreReviewFile.objects.exists()
    assert not any(p.exists() for p in stored)
    assert not (tmp_path / "prereview").exists()
    assert neighbour.read_bytes() == b"kept"


def test_a_name_leading_out_of_the_folder_is_left_alone(tmp_path, settings):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    (media / "prereview" / "X-1" / "1").mkdir(parents=True)
    ours = media / "prereview" / "X-1" / "1" / "scan.pdf"
    ours.write_bytes(b"%PDF")
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"outside")
    sibling = media / "orders.pdf"
    sibling.write_bytes(b"media, not a pre-review's")
    (media / "prereview" / "link").symlink_to(secret)
    names = [
        "prereview/X-1/1/scan.pdf",
        "prereview/../../secret.txt",
        str(secret),
        "orders.pdf",
        "prereview/link",
        "prereview/X-1/1/gone-already.pdf",
    ]
    assert delete_stored_files(names) == 1
    assert not ours.exists() and not (media / "prereview" / "X-1").exists()
    assert secret.read_bytes() == b"outside" and sibling.is_file()
    assert os.path.islink(media / "prereview" / "link")
