"""The first `make run` printed the demo logins twice: `demo --if-empty` and then `serve
--print-logins` (walk-through, session 25, A-L5). The silent form prints the load's summary
only; `hotline demo` still prints the logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hotline.org import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick_load(monkeypatch):
    monkeypatch.setattr(demo, "is_empty", lambda: True)
    monkeypatch.setattr(demo, "load_district", lambda progress=None: None)


def output(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_make_runs_load_leaves_the_logins_to_serve(quick_load):
    silent = output("--if-empty")
    assert "Demo district loaded" in silent
    assert "Demo logins" not in silent
    assert "Demo logins" in output()
