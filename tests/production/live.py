"""A production-like deployment for crash tests: a scratch database of the engine the suite runs
on (a file for SQLite; for PostgreSQL a new database on the same server, or on a :class:`Cluster`
of the test's own), migrated by ``hotline migrate``, with ``hotline serve`` and ``hotline worker``
as real processes that a test can kill with SIGKILL.

Each process starts in its own session, so killing its process group takes gunicorn's master and
its workers down at once, like a power cut of the application server. A :class:`Cluster` is a
PostgreSQL server the test may crash, freeze or restart itself: durable (``bin/pg-throwaway
start DIR durable``), unlike the suite's fast one, so a kill -9 of it shows what PostgreSQL
really keeps.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.db import connection

HOTLINE = [sys.executable, "-m", "hotline.cli"]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie holds nothing


class Cluster:
    """A PostgreSQL server of the test's own (``bin/pg-throwaway``) that it may crash: durable
    (fsync, synchronous_commit, full_page_writes on) unless asked otherwise."""

    def __init__(self, base: Path, mode: str = "durable") -> None:
        self.dir, self.mode = base, mode
        self.url = self._pg_throwaway("start")

    def _pg_throwaway(self, command: str) -> str:
        result = subprocess.run(
            [str(ROOT / "bin" / "pg-throwaway"), command, str(self.dir), self.mode],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def processes(self) -> list[int]:
        """The postmaster and every process it started."""
        postmaster = int((self.dir / "data" / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    def kill_9(self) -> None:
        """A power cut of the database server: SIGKILL to all its processes.

        The postmaster is stopped first so that it forks no backend between the listing and the
        kill (a survivor would hold the shared memory and keep the restart from starting)."""
        pids = self.processes()
        os.kill(pids[0], signal.SIGSTOP)
        pids = self.processes()
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in pids):
            assert time.monotonic() < deadline, "PostgreSQL survived SIGKILL"
            time.sleep(0.05)
        # As after a power cut and a reboot: no process of the old server exists, so its lock files
        # name nobody. Left in place, their PIDs may already belong to someone else on a busy
        # machine (pid_max is 32768 here), and the restart would refuse to start.
        (self.dir / "data" / "postmaster.pid").unlink(missing_ok=True)
        for lock in self.dir.glob(".s.PGSQL.*.lock"):
            lock.unlink(missing_ok=True)

    def freeze(self) -> None:
        """The server stops answering new connections (SIGSTOP of the postmaster)."""
        os.kill(self.processes()[0], signal.SIGSTOP)

    def thaw(self) -> None:
        with suppress(ProcessLookupError, FileNotFoundError):
            os.kill(self.processes()[0], signal.SIGCONT)

    def start(self) -> None:
        """Start again on the same port (after a crash: PostgreSQL's own recovery)."""
        self.url = self._pg_throwaway("start")

    def stop(self) -> None:
        self.thaw()
        self._pg_throwaway("stop")


class Deployment:
    def __init__(self, base: Path, cluster: Cluster | None = None) -> None:
        self.base = base
        self.cluster = cluster
        self.vendor = "postgresql" if cluster is not None else connection.vendor
        self.env = {
            **os.environ,
            "HOTLINE_DATA_DIR": str(base / "data"),
            "DEBUG": "false",
            "SECRET_KEY": "crash-test-" + secrets.token_hex(16),
            "SECURE_COOKIES": "false",
            "STATIC_MANIFEST": "false",
            "ACCESS_LOG": "/dev/null",
            "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        self.db_name = ""
        if self.vendor == "postgresql":
            self.db_name = f"hotline_crash_{secrets.token_hex(4)}"
            with self._admin() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.db_name}"')
            self.env["DATABASE_URL"] = self._url(self.db_name)
        else:
            self.env.pop("DATABASE_URL", None)
        (base / "data").mkdir(parents=True, exist_ok=True)
        self.processes: list[subprocess.Popen[bytes]] = []

    # -- database -----------------------------------------------------------------------------

    def _url(self, name: str) -> str:
        if self.cluster is not None:
            return self.cluster.url.rsplit("/", 1)[0] + f"/{name}"
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"

    @contextmanager
    def _admin(self) -> Iterator[Any]:
        import psycopg

        with (
            psycopg.connect(self._url("postgres"), autocommit=True) as conn,
            conn.cursor() as cursor,
        ):
            yield cursor

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Read the scratch database directly (not through any server process)."""
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchall()
        with sqlite3.connect(self.base / "data" / "hotline.sqlite3") as conn:
            return conn.execute(sql, params).fetchall()

    def drop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)
        if self.db_name:
            with self._admin() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    # -- processes ------------------------------------------------------------------------------

    def hotline(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [*HOTLINE, *args], env=self.env, cwd=ROOT, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        assert result.returncode == 0, f"hotline {' '.join(args)}: {result.stderr[-3000:]}"
        return result.stdout

    def python(self, code: str) -> str:
        """Run Django code against the scratch database in a fresh process."""
        return self.hotline("shell", "-c", code)

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = (self.base / f"{args[0]}-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            [*HOTLINE, *args], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def serve(self, port: int, workers: int = 2) -> subprocess.Popen[bytes]:
        process = self.start("serve", "--port", str(port), "--workers", str(workers))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    if json.load(r)["status"] == "ok":
                        return process
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not start")

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        """SIGKILL the process and everything it started (gunicorn's master and workers)."""
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
