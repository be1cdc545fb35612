"""The database restarts or stops answering under a running ``hotline serve``: every request gets
a clean, quick answer, and service comes back by itself.

The outside review saw every web thread fail one request after a PostgreSQL restart (persistent
connections without health checks), and requests hang on a frozen database (no connect or
statement timeout), then commit after the client gave up."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator

import pytest

from tests.production.live import Cluster, Deployment, free_port
from tests.production.test_crash import SETUP_OPERATOR

pytestmark = pytest.mark.postgres_only

CONNECT_TIMEOUT = 2


@pytest.fixture(scope="module")
def served(tmp_path_factory, new_cluster) -> Iterator[tuple[Deployment, Cluster, int, str]]:
    """One deployment for both tests (each leaves it serving): a migration saved."""
    cluster = new_cluster("fast")  # its own: these tests freeze and restart it
    live = Deployment(tmp_path_factory.mktemp("outage"), cluster)
    live.env["DB_CONNECT_TIMEOUT"] = str(CONNECT_TIMEOUT)
    try:
        live.hotline("migrate", "--no-input", "-v", "0")
        token = live.python(SETUP_OPERATOR).strip().splitlines()[-1]
        port = free_port()
        live.serve(port, workers=1)  # one process, four threads, each with its connection
        yield live, cluster, port, token
    finally:
        cluster.thaw()
        live.drop()


def get(port: int, path: str, token: str = "") -> tuple[int, dict[str, str], bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.monotonic()
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body, time.monotonic() - started


def at_once(port: int, token: str, n: int = 8) -> list[int]:
    """``n`` API reads in parallel: every web thread serves one."""
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda: statuses.append(get(port, "/api/v1/orders", token)[0]))
        for _ in range(n)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_a_restart_of_postgresql_fails_no_request(served):
    _live, cluster, port, token = served
    for _ in range(3):  # every thread holds a persistent connection
        assert at_once(port, token) == [200] * 8
    cluster.stop()
    cluster.start()
    # Each thread finds its old connection dead before using it and opens a new one.
    assert at_once(port, token) == [200] * 8


def test_a_frozen_database_answers_503_within_seconds_and_service_returns(served):
    live, cluster, port, token = served
    assert get(port, "/api/v1/orders", token)[0] == 200
    # The database restarts and then hangs: the server's connections are gone and new ones
    # get no answer (the postmaster is stopped).
    with live._admin() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (live.db_name,),
        )
    cluster.freeze()
    try:
        status, headers, body, seconds = get(port, "/api/v1/orders", token)
        assert status == 503
        assert headers["Content-Type"].startswith("application/json")
        assert json.loads(body)["error"] == "unavailable"
        assert int(headers["Retry-After"]) > 0
        assert seconds < CONNECT_TIMEOUT + 5, f"answered after {seconds:.1f} s"

        status, headers, body, _ = get(port, "/open311/v2/requests.json")
        assert (status, json.loads(body)[0]["code"]) == (503, 503)
        status, headers, body, _ = get(port, "/healthz")
        assert status == 503 and int(headers["Retry-After"]) > 0
    finally:
        cluster.thaw()
    deadline = time.monotonic() + 20
    while get(port, "/api/v1/orders", token)[0] != 200:
        assert time.monotonic() < deadline, "service did not come back"
        time.sleep(0.2)
