"""tests/conftest.py's live server answers one request at a time where its threads share the
test database's one connection (SQLite in memory) and several at once where they do not
(PostgreSQL). CI failed once on two browser requests at once sharing the SQLite connection
("cannot start a transaction within a transaction", a 503)."""

from __future__ import annotations

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connections

from tests.conftest import OneRequestAtATime


class Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def most_at_once(connections_override: dict[str, Any]) -> int:
    """Eight requests sent together to an app that takes 50 ms: how many ran at the same time."""
    running = 0
    most = 0
    count = threading.Lock()

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        nonlocal running, most
        with count:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with count:
            running -= 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = OneRequestAtATime(
        ("127.0.0.1", 0),
        Quiet,
        allow_reuse_address=False,
        connections_override=connections_override,
    )
    server.set_app(app)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with ThreadPoolExecutor(8) as pool:
            answers = list(
                pool.map(lambda _: urllib.request.urlopen(url, timeout=10).read(), range(8))
            )
    finally:
        server.shutdown()
        server.server_close()
    assert answers == [b"ok"] * 8
    return most


@pytest.mark.django_db
def test_requests_sharing_one_connection_run_one_at_a_time():
    connection = connections["default"]
    connection.inc_thread_sharing()  # as pytest-django's live server does
    try:
        assert most_at_once({"default": connection}) == 1
    finally:
        connection.dec_thread_sharing()


def test_requests_with_their_own_connections_run_together():
    assert most_at_once({}) > 1
