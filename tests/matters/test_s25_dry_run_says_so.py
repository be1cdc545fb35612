"""`hotline matters import KIND F --dry-run` printed word for word what a real import prints
(walk-through, session 25, A-L1): it now says that nothing was written."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hotline.matters.models import Matter
from tests.matters.test_catalogue import MATTERS

pytestmark = pytest.mark.django_db


def test_the_dry_run_says_nothing_was_written(district, tmp_path):
    path = tmp_path / "matters.csv"
    path.write_text(MATTERS, encoding="utf-8")
    out = StringIO()
    call_command("matters", "import", "matters", str(path), "--dry-run", stdout=out)
    said = out.getvalue()
    assert ("Dry run" in said or "试运行" in said) and "3" in said, said
    assert not Matter.objects.filter(code="shtt-bg").exists()
    real = StringIO()
    call_command("matters", "import", "matters", str(path), stdout=real)
    assert "Dry run" not in real.getvalue() and "试运行" not in real.getvalue()
    assert Matter.objects.filter(code="shtt-bg").exists()
