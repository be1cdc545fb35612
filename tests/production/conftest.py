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
    return new_cluster("durable") if connection.vendor == "postgresql" else None
