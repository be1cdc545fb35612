"""PostgreSQL servers of the production tests' own, which they may crash, freeze and restart."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.production.live import Cluster


@pytest.fixture(scope="session")
def new_cluster() -> Iterator[Callable[[str], Cluster]]:
    """Start a cluster (``durable`` or ``fast``) in a folder of its own under /tmp (PostgreSQL
    runs as its own user when the tests run as root, and must reach the folder); all are stopped
    and removed at the end."""
    started: list[tuple[Cluster, Path]] = []

    def start(mode: str = "durable") -> Cluster:
        if not _server_binaries():
            # DATABASE_URL names a server elsewhere and none can be started here.
            pytest.skip("no PostgreSQL server binaries to start a cluster of the test's own")
        base = Path(tempfile.mkdtemp(prefix="hotline-crash-pg-"))
        base.chmod(0o755)
        cluster = Cluster(base / "pg", mode)
        started.append((cluster, base))
        return cluster

    yield start
    for cluster, base in started:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def durable_cluster(new_cluster) -> Cluster | None:
    """On the PostgreSQL pass, the crash tests run on a durable cluster (the suite's own has
    fsync and synchronous commit off: a crash test on it could not show durability)."""
    if connection.vendor != "postgresql" or not _server_binaries():
        return None  # SQLite, or a server elsewhere: the crash tests use the suite's database
    return new_cluster("durable")


def _server_binaries() -> bool:
    return bool(list(Path("/usr/lib/postgresql").glob("*/bin/initdb")))
