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
from django.db import connections, transaction

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


def _serve(app: Any, connections_override: dict[str, Any]) -> tuple[OneRequestAtATime, str]:
    server = OneRequestAtATime(
        ("127.0.0.1", 0),
        Quiet,
        allow_reuse_address=False,
        connections_override=connections_override,
    )
    server.set_app(app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.mark.django_db(transaction=True)
def test_the_test_threads_transaction_waits_for_a_request_sharing_its_connection():
    """A test issuing tickets while the board polls: the test thread's transaction and the
    request's, on the one shared connection, run one after the other — not nested (the request's
    BEGIN inside the test's transaction, or the test's savepoint inside the request's)."""
    from django.contrib.auth.models import Group

    connection = connections["default"]
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL gives each thread its own connection")
    inside = threading.Event()
    failures: list[BaseException] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        try:
            with transaction.atomic():
                Group.objects.create(name="request-1")
                inside.set()
                time.sleep(0.1)  # the test thread starts its transaction meanwhile
                Group.objects.create(name="request-2")
            # … and the request's commit comes while the test's is still open
        except BaseException as error:  # reported by the test, not lost in the server thread
            failures.append(error)
            inside.set()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    connection.inc_thread_sharing()  # as pytest-django's live server does
    server, url = _serve(app, {"default": connection})
    try:
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(lambda: urllib.request.urlopen(url, timeout=10).read())
            assert inside.wait(10)
            with transaction.atomic():
                # its own transaction, begun after the request's ended — not a savepoint
                # inside the request's (whose end would then release it and leave both open)
                nested_in = list(connection.savepoint_ids)
                seen = sorted(Group.objects.values_list("name", flat=True))
                Group.objects.create(name="test-1")
                time.sleep(0.3)
                Group.objects.create(name="test-2")
            assert answer.result() == b"ok"
    finally:
        server.shutdown()
        server.server_close()
        connection.dec_thread_sharing()
    assert failures == []
    assert nested_in == []
    assert seen == ["request-1", "request-2"]
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "request-1",
        "request-2",
        "test-1",
        "test-2",
    ]


def test_a_live_server_asked_for_alone_shares_the_test_databases_connection(live_server):
    """r2's review of session 17: pytest-django hands the live server's threads the test's
    in-memory SQLite connection only if the test database exists when the server starts; a test
    asking for ``live_server`` alone, run by itself, got a server on its own connections — no
    sharing, no lock. tests/conftest.py's ``live_server`` sets the database up first."""
    if connections["default"].vendor != "sqlite":
        pytest.skip("PostgreSQL gives each thread its own connection")
    assert "default" in live_server.thread.connections_override
