"""`python -m hotline.hall.voice DIR` without espeak-ng ended in a traceback (walk-through,
session 25, A-L2): it now says what to install, one line, exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_without_espeak_ng_the_tool_says_what_to_install(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "hotline.hall.voice", str(tmp_path / "clips")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PATH": str(empty)},
        timeout=60,
    )
    assert done.returncode == 2
    assert "apt-get install espeak-ng" in done.stderr
    assert "Traceback" not in done.stderr
