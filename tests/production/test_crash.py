"""Crash tests: SIGKILL the web server during intake, an SLA worker in the middle of a batch, and
PostgreSQL itself during intake.

They run against real ``hotline serve`` / ``hotline worker`` processes on a scratch database of
the engine the suite runs on — SQLite in the first pass of ``make test``; in the PostgreSQL pass,
on a durable cluster of their own (fsync, synchronous commit and full-page writes on: the suite's
cluster has them off, and a crash test on it could not show that acknowledged means kept).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest

from tests.production.live import Deployment, free_port

SETUP_OPERATOR = """
from hotline.org.models import ApiToken, Role, Unit, UnitKind, User, UserRole
centre = Unit.objects.create(code="centre", name="12345热线中心", kind=UnitKind.HOTLINE_CENTRE)
olga = User.objects.create_user("olga", password="x", unit=centre)
UserRole.objects.create(user=olga, role=Role.OPERATOR)
print(ApiToken.issue(olga, name="crash test")[1])
"""

#: Orders dispatched to 江宁路街道 thirty days ago and never signed for: each needs a sign-for
#: urge, an overdue mark and a supervision from the SLA worker — one of each, exactly.
SETUP_OVERDUE = """
import datetime as dt
from hotline import clock
from hotline.orders import actions
from hotline.org.models import Role, Unit, UnitKind, User, UserRole
centre = Unit.objects.create(code="centre", name="12345热线中心", kind=UnitKind.HOTLINE_CENTRE)
street = Unit.objects.create(code="jnl", name="江宁路街道", kind=UnitKind.STREET)
olga = User.objects.create_user("olga", password="x", unit=centre)
dan = User.objects.create_user("dan", password="x", unit=centre)
UserRole.objects.create(user=olga, role=Role.OPERATOR)
UserRole.objects.create(user=dan, role=Role.DISPATCHER)
past = clock.now() - dt.timedelta(days=30)
for i in range({n}):
    order = actions.register(olga, title=f"路灯不亮 {{i}}", description="路灯坏了", now=past)
    actions.dispatch(order, dan, lead_unit=street, now=past)
"""


@pytest.fixture
def deployment(tmp_path, durable_cluster) -> Iterator[Deployment]:
    live = Deployment(tmp_path, durable_cluster)
    try:
        live.hotline("migrate", "--no-input", "-v", "0")
        yield live
    finally:
        live.drop()


def order_body(title: str) -> str:
    return json.dumps(
        {"title": title, "description": "夜里路灯不亮", "citizen_phone": "13912345678"}
    )


def wait_for(condition, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def each_acknowledged_order_stored_once(
    deployment: Deployment, acknowledged: dict[str, str]
) -> list[tuple[str, str]]:
    """Every acknowledged order (title -> number) is stored once with its number, no call is
    stored twice, numbers are unique, and every order, acknowledged or cut off before its answer,
    is whole: its register event, and its version agrees with its events. The stored rows."""
    rows = deployment.query("SELECT title, number FROM orders_workorder")
    numbers_by_title: dict[str, list[str]] = defaultdict(list)
    for title, number in rows:
        numbers_by_title[title].append(number)
    missing = [t for t in acknowledged if t not in numbers_by_title]
    assert missing == [], "acknowledged orders lost by the crash"
    assert {t: numbers_by_title[t] for t in acknowledged} == {
        t: [n] for t, n in acknowledged.items()
    }
    assert [t for t, ns in numbers_by_title.items() if len(ns) > 1] == [], "a call stored twice"
    assert len({n for _t, n in rows}) == len(rows)
    broken = deployment.query(
        "SELECT o.number FROM orders_workorder o LEFT JOIN orders_event e ON e.order_id = o.id "
        "GROUP BY o.id, o.number, o.version "
        "HAVING COUNT(e.id) <> o.version OR MIN(e.seq) <> 1 OR MAX(e.seq) <> o.version"
    )
    assert broken == []
    return rows


def test_every_acknowledged_order_exists_exactly_once_after_a_kill_9_of_the_server(deployment):
    token = deployment.python(SETUP_OPERATOR).strip().splitlines()[-1]
    port = free_port()
    server = deployment.serve(port)
    acknowledged: dict[str, str] = {}  # title -> the number the 201 answer gave
    stop = threading.Event()
    lock = threading.Lock()

    def operator_client(k: int) -> None:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for i in range(100_000):
            if stop.is_set():
                return
            title = f"crash-{k}-{i}"  # every attempt a new request: nothing is retried
            try:
                conn.request("POST", "/api/v1/orders", body=order_body(title), headers=headers)
                response = conn.getresponse()
                body = response.read()
                if response.status == 201:
                    with lock:
                        acknowledged[title] = json.loads(body)["number"]
            except (OSError, http.client.HTTPException):
                conn.close()  # the server is down: try again on a new connection
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                stop.wait(0.05)

    clients = [threading.Thread(target=operator_client, args=(k,)) for k in range(6)]
    for c in clients:
        c.start()
    try:
        wait_for(lambda: len(acknowledged) >= 60)
        deployment.kill(server)  # kill -9 of gunicorn's master and both workers, mid-intake
        before_restart = len(acknowledged)
        deployment.serve(port)
        wait_for(lambda: len(acknowledged) >= before_restart + 30)
    finally:
        stop.set()
        for c in clients:
            c.join()

    rows = each_acknowledged_order_stored_once(deployment, acknowledged)
    unanswered = len(rows) - len(acknowledged)
    print(  # the figures for docs/benchmarks.md (pytest -s)
        f"\nserver kill -9 ({deployment.vendor}): {before_restart} acknowledged before the kill, "
        f"{len(acknowledged)} in all, {len(rows)} orders stored ({unanswered} committed but "
        "never answered), 0 lost, 0 duplicated"
    )


def test_a_worker_killed_mid_batch_loses_nothing_and_does_nothing_twice(deployment):
    n = 300
    deployment.python(SETUP_OVERDUE.format(n=n))
    events = "SELECT COUNT(*) FROM orders_event WHERE action IN ('urge', 'overdue', 'supervise')"

    def done() -> int:
        return deployment.query(events)[0][0]

    victim = deployment.start("worker", "--interval", "3600")
    survivor = deployment.start("worker", "--interval", "3600")
    wait_for(lambda: done() >= n // 2)
    deployment.kill(victim)
    killed_at = done()
    assert killed_at < 3 * n, "the batch was over before the kill: nothing was tested"
    # The surviving worker finishes its pass; a fresh one then finds nothing left to do.
    wait_for(lambda: done() >= 3 * n, timeout=180)
    deployment.kill(survivor)
    last_pass = json.loads(deployment.hotline("worker", "--once").splitlines()[-1])
    assert {
        step: last_pass[step] for step in ("urge_accept", "urge_reply", "overdue", "supervise")
    } == {
        "urge_accept": 0,
        "urge_reply": 0,
        "overdue": 0,
        "supervise": 0,
    }

    per_order = deployment.query(
        "SELECT o.number, e.action, COUNT(*) FROM orders_workorder o "
        "JOIN orders_event e ON e.order_id = o.id GROUP BY o.number, e.action"
    )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for number, action, count in per_order:
        counts[number][action] = count
    assert len(counts) == n
    expected = Counter({"register": 1, "dispatch": 1, "urge": 1, "overdue": 1, "supervise": 1})
    assert [number for number, c in counts.items() if c != expected] == []
    gaps = deployment.query(
        "SELECT o.number FROM orders_workorder o JOIN orders_event e ON e.order_id = o.id "
        "GROUP BY o.id, o.number, o.version, o.overdue "
        "HAVING COUNT(*) <> o.version OR MAX(e.seq) <> o.version OR NOT o.overdue"
    )
    assert gaps == []
    print(
        f"\nworker kill -9 ({deployment.vendor}): killed after {killed_at} of {3 * n} events; "
        f"{n} orders each with exactly one urge, overdue mark and supervision"
    )


@pytest.mark.postgres_only
def test_no_acknowledged_order_is_lost_or_doubled_by_a_kill_9_of_postgresql(deployment):
    """Clients retry every call with its Idempotency-Key until it is acknowledged, as a careful
    integration would: across the crash of the database, each call is stored exactly once."""
    token = deployment.python(SETUP_OPERATOR).strip().splitlines()[-1]
    cluster = deployment.cluster
    if cluster is None:
        pytest.skip("needs a PostgreSQL cluster of its own (server binaries on this machine)")
    assert cluster.mode == "durable"
    port = free_port()
    deployment.serve(port)
    acknowledged: dict[str, str] = {}  # title -> the number the 201 answer gave
    refusals: Counter[tuple[int, bool]] = Counter()  # (status, JSON?) of answers but 201
    stop = threading.Event()
    lock = threading.Lock()

    def operator_client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(100_000):
            title = f"pg-crash-{k}-{i}"
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": title,
            }
            while not stop.is_set():  # the same call again until it is acknowledged
                try:
                    conn.request("POST", "/api/v1/orders", body=order_body(title), headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    continue
                if response.status == 201:
                    with lock:
                        acknowledged[title] = json.loads(body)["number"]
                    break
                json_answer = (response.getheader("Content-Type") or "").startswith(
                    "application/json"
                )
                with lock:
                    refusals[(response.status, json_answer)] += 1
                stop.wait(0.05)
            if stop.is_set():
                return

    clients = [threading.Thread(target=operator_client, args=(k,)) for k in range(6)]
    for c in clients:
        c.start()
    try:
        wait_for(lambda: len(acknowledged) >= 60)
        cluster.kill_9()  # every PostgreSQL process at once, mid-intake
        before_restart = len(acknowledged)
        time.sleep(1)  # the clients meet the outage
        cluster.start()  # PostgreSQL's crash recovery
        wait_for(lambda: len(acknowledged) >= before_restart + 30)
    finally:
        stop.set()
        for c in clients:
            c.join()

    rows = each_acknowledged_order_stored_once(deployment, acknowledged)
    # While the database was gone the server said so (503, JSON), never a 500.
    assert set(refusals) <= {(503, True)}, refusals
    print(
        f"\nPostgreSQL kill -9 (durable cluster): {before_restart} acknowledged before the kill, "
        f"{len(acknowledged)} in all, {len(rows)} orders stored, {sum(refusals.values())} "
        f"answers 503 during the outage, 0 lost, 0 duplicated"
    )
