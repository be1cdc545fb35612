"""The hotline console script: kebab-case names, one-line errors, and the README's commands work
in a second terminal of a `make run` checkout without any variable set."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOTLINE = [sys.executable, "-m", "hotline.cli"]
# What a fresh terminal has: none of the project's variables.
_PROJECT_VARIABLES = (
    "SECRET_KEY",
    "DEBUG",
    "HOTLINE_DATA_DIR",
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
)


def _fresh_terminal(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _PROJECT_VARIABLES}
    return {**env, **extra}


def test_kebab_case_command_names_work():
    result = subprocess.run(
        [sys.executable, "-c", "from hotline.cli import main; main(['export-history', '--help'])"],
        capture_output=True,
        text=True,
        env={"DEBUG": "true", "PATH": "", "HOTLINE_DATA_DIR": "var/test"},
    )
    assert result.returncode == 0, result.stderr
    assert "--out" in result.stdout


def test_a_command_on_a_database_not_yet_migrated_says_so_in_one_line(tmp_path):
    result = subprocess.run(
        [*HOTLINE, "token", "create", "dispatcher"],
        capture_output=True, text=True, cwd=tmp_path, env=_fresh_terminal(PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "hotline: no such table: org_user: the database is not set up yet; "
        "run 'hotline migrate' first"
    ]
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0  # owner-only


def test_a_deployment_without_a_secret_key_is_refused_in_one_line(tmp_path):
    result = subprocess.run(
        [*HOTLINE, "check"],
        capture_output=True, text=True, cwd=ROOT,
        env=_fresh_terminal(HOTLINE_DATA_DIR=str(tmp_path / "data")),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("hotline: SECRET_KEY must be set")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data" / "secret_key").exists()


def _readme_shell_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [b for b in blocks if ("hotline" in b or "curl" in b) and "make run" not in b]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="make run uses SQLite"
)
def test_every_readme_command_works_in_a_second_terminal_while_make_run_serves(tmp_path):
    """`make run` in one terminal (DEBUG on, the default ./var), the README's examples in another
    with no variables: the token, the API calls (the dispatch on a registered order) and Open311."""
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    run_env = _fresh_terminal(DEBUG="true", DEMO_ORDERS="150", PYTHONPATH=str(ROOT))
    for step in (["migrate", "--no-input", "-v", "0"], ["demo", "--if-empty"]):
        done = subprocess.run([*HOTLINE, *step], cwd=tmp_path, env=run_env, capture_output=True)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
    port = _free_port()
    server = subprocess.Popen(
        [*HOTLINE, "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path, env={**run_env, "ACCESS_LOG": "/dev/null"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/portal/", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # an answer, whatever it is: the server is up
            except OSError:
                assert time.monotonic() < deadline, "hotline serve did not start"
                time.sleep(0.5)
        blocks = _readme_shell_blocks()
        assert len(blocks) >= 2
        # Each curl fails the block on an HTTP error; the blocks run in order in one shell, as a
        # person copying them would.
        script = 'set -euo pipefail\ncurl() { command curl -sS --fail-with-body "$@"; echo; }\n'
        script += "\n".join(blocks).replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        result = subprocess.run(
            ["bash", "-c", script], cwd=tmp_path, env=_fresh_terminal(PYTHONPATH=str(ROOT)),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert '"state": "dispatched"' in result.stdout or '"state":"dispatched"' in result.stdout
    assert "路灯不亮" in result.stdout or "service_request_id" in result.stdout
    assert "\\u" not in result.stdout  # Chinese stays readable
