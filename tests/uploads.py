"""Counting the temporary files Django opens for uploads: what a multipart body put on disk."""

from __future__ import annotations

from typing import Any

from django.core.files import uploadhandler
from django.core.files.uploadedfile import TemporaryUploadedFile


def count_temp_files(monkeypatch: Any) -> list[str]:
    """The names of the temporary upload files opened from now on in this test (appended as
    Django's TemporaryFileUploadHandler opens each)."""
    opened: list[str] = []

    class Counted(TemporaryUploadedFile):
        def __init__(self, name: str, *args: Any, **kwargs: Any) -> None:
            super().__init__(name, *args, **kwargs)
            opened.append(name)

    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", Counted)
    return opened
