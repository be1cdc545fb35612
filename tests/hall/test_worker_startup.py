"""A web worker's start-up (importing hotline.wsgi) freezes the heap it loaded: its first full
garbage collection then walks only what serving created. Unfrozen, a worker forked from a
master that set Django up paid one pass over every inherited object, copying their pages —
the slowest 1 % of the 40-window call-next bench (docs/benchmarks.md, issue 17)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHILD = """
import gc, os, resource, sys, warnings
warnings.simplefilter("ignore")
import django
django.setup()
if sys.argv[1] == "startup":
    import hotline.wsgi
    assert gc.get_freeze_count() > 50_000, gc.get_freeze_count()
    assert "hotline.hall.views" in sys.modules  # the URLconfs and views were loaded at start-up
pid = os.fork()
if pid == 0:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    gc.collect()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before, flush=True)
    os._exit(0)
os.waitpid(pid, 0)
"""


def faults_of_first_full_collection(mode: str) -> int:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
        "SECRET_KEY": "test-only-key-for-the-worker-start-up-check-0123456789",
        "DEBUG": "false",
    }
    env.pop("DATABASE_URL", None)  # nothing here touches a database
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="pre-fork servers: POSIX")
def test_a_forked_worker_after_start_up_collects_without_copying_the_heap():
    unfrozen = faults_of_first_full_collection("plain")
    frozen = faults_of_first_full_collection("startup")
    # Unfrozen: thousands of pages copied (about 10,000 with Django set up); frozen: a handful.
    assert unfrozen > 2_000
    assert frozen < 500
