"""Load test: order intake and the busiest staff pages against ``hotline serve`` (gunicorn).

For each database (SQLite, PostgreSQL) it builds a fresh data directory with the demo district and
some order history, starts ``hotline serve --workers 2`` on 127.0.0.1, and runs:

1. **saturation** — ``--concurrency`` clients register orders through the API
   (``POST /api/v1/orders`` with an operator's token) as fast as the server answers, for
   ``--seconds`` or ``--max-orders``, whichever comes first: sustained orders/s, p50/p99;
2. **paced** — an open-loop schedule of ``--rate`` orders/s (latency counted from the scheduled
   send time, so a server that falls behind is not flattered) while a dispatcher and a unit
   handler load the dispatch desk, the unit inbox and an order page, ``--page-rate`` each per
   second: p50/p99 of each.

Everything stays on the loopback interface and is bounded in count and time; the data directory
and the PostgreSQL cluster (a durable one: fsync and synchronous commit on, unlike the test
suite's throwaway cluster) are removed afterwards. The client runs in this process and shares
the machine's cores with the server: the figures are for the whole box.

Prints ONE JSON line. Usage::

    python bench/load.py [--db sqlite,postgres] [--seconds 20] [--rate 50] [--history 1000]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HOTLINE = str(Path(sys.executable).with_name("hotline"))
PASSWORD = "hotline-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


def summary(latencies: list[float]) -> dict[str, Any]:
    return {
        "n": len(latencies),
        "p50_ms": pct(latencies, 0.50),
        "p99_ms": pct(latencies, 0.99),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
    }


# --- CPU accounting ---------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, user + system CPU seconds) of every live process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    return found


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by ``root`` and every live descendant (gunicorn's master and
    workers; the postmaster and its backends)."""
    table = _processes()
    total, todo, seen = 0.0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in table:
            continue
        seen.add(pid)
        total += table[pid][1]
        todo += [child for child, (parent, _cpu) in table.items() if parent == pid]
    return total


# --- PostgreSQL: a durable throwaway cluster --------------------------------------------------


class Postgres:
    def __init__(self, base: Path) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not bins:
            raise SystemExit("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin, self.dir = bins[-1], base / "pg"
        self.port = free_port()

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True)

    def start(self) -> str:
        self.dir.mkdir(parents=True)
        if os.geteuid() == 0:  # the server runs as the postgres user: let it reach its folder
            self.dir.parent.chmod(0o711)
            shutil.chown(self.dir, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres",
                  "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=100"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-l",
                  str(self.dir / "server.log"), "-w", "-o", opts, "start")  # fmt: skip
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "postgres", "hotline")  # fmt: skip
        return f"postgres://postgres@127.0.0.1:{self.port}/hotline"

    @property
    def pid(self) -> int:
        return int((self.dir / "data" / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop")


# --- HTTP ----------------------------------------------------------------------------------


class Session:
    """One keep-alive connection, with cookies if logged in, or a bearer token."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port, self.token, self.cookies = port, token, ""
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(
        self, method: str, path: str, body: Any = None, form: dict[str, str] | None = None
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        headers = {"Host": "127.0.0.1"}
        data: bytes | None = None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            headers["Cookie"] = self.cookies
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if form is not None:
            from urllib.parse import urlencode

            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                return response.status, payload, response
            except (ConnectionError, http.client.HTTPException):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        jar = dict(c.split("=", 1) for c in self.cookies.split("; ") if "=" in c)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            jar[name] = value
        self.cookies = "; ".join(f"{k}={v}" for k, v in jar.items())

    def login(self, username: str) -> None:
        status, page, response = self.request("GET", "/accounts/login/")
        self._keep_cookies(response)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        form = {"csrfmiddlewaretoken": token.group(1).decode(), "username": username,
                "password": PASSWORD, "next": "/"}  # fmt: skip
        status, _, response = self.request("POST", "/accounts/login/", form=form)
        assert status == 302, f"login as {username} failed: {status}"
        self._keep_cookies(response)


ORDER_TEXTS = [
    ("路灯不亮", "江宁路昌平路口的路灯连续三晚不亮，夜里行人很不方便。"),
    ("小区噪音扰民", "晚上十点以后楼下饭店排风机噪音很大，影响休息。"),
    ("道路积水", "下雨后人行道积水严重，老人小孩出行困难。"),
    ("垃圾清运不及时", "小区门口垃圾桶满了两天没有清运，气味很大。"),
]


def order_body(i: int) -> dict[str, Any]:
    title, description = ORDER_TEXTS[i % len(ORDER_TEXTS)]
    return {
        "title": f"{title} #{i}",
        "description": description,
        "channel": "api",
        "citizen_name": "压测市民",
        "citizen_phone": f"139{i % 100_000_000:08d}",
        "address": f"静安区江宁路 {i % 900 + 1} 号",
    }


# --- phases --------------------------------------------------------------------------------


def saturate(
    port: int, token: str, seconds: float, max_orders: int, concurrency: int
) -> dict[str, Any]:
    counter = itertools.count(1_000_000)
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def client() -> None:
        session = Session(port, token)
        while time.perf_counter() < deadline:
            with lock:
                if len(latencies) >= max_orders:
                    return
            i = next(counter)
            started = time.perf_counter()
            try:
                status, _, _ = session.request("POST", "/api/v1/orders", body=order_body(i))
            except Exception as exc:
                status = type(exc).__name__  # type: ignore[assignment]
            took = time.perf_counter() - started
            with lock:
                if status == 201:
                    latencies.append(took)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "orders": len(latencies),
        "orders_per_s": round(len(latencies) / elapsed, 1),
        "errors": errors,
        **summary(latencies),
    }


def paced(
    port: int,
    token: str,
    rate: float,
    seconds: float,
    page_rate: float,
    pages: dict[str, tuple[Session, str]],
) -> dict[str, Any]:
    """Open loop: job k is due at start + k/rate; latency runs from its due time."""
    jobs: list[tuple[float, str]] = [(k / rate, "intake") for k in range(int(rate * seconds))]
    for name in pages:
        jobs += [(k / page_rate + 0.01, name) for k in range(int(page_rate * seconds))]
    jobs.sort()
    lock = threading.Lock()
    results: dict[str, list[float]] = {"intake": [], **{name: [] for name in pages}}
    errors: dict[str, int] = {}
    position = iter(range(len(jobs)))
    page_locks = {name: threading.Lock() for name in pages}
    start = time.perf_counter() + 0.2

    def worker() -> None:
        session = Session(port, token)
        counter = itertools.count(2_000_000 + threading.get_ident() % 1000 * 10_000)
        while True:
            with lock:
                k = next(position, None)
            if k is None:
                return
            due, kind = jobs[k]
            wait = start + due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            if kind == "intake":
                status, _, _ = session.request(
                    "POST", "/api/v1/orders", body=order_body(next(counter))
                )
                ok = status == 201
            else:
                page_session, path = pages[kind]
                with page_locks[kind]:  # one logged-in connection per page
                    status, _, _ = page_session.request("GET", path)
                ok = status == 200
            took = time.perf_counter() - (start + due)
            with lock:
                if ok:
                    results[kind].append(took)
                else:
                    errors[f"{kind}:{status}"] = errors.get(f"{kind}:{status}", 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "rate": rate,
        "seconds": seconds,
        "page_rate_each": page_rate,
        "errors": errors,
        **{kind: summary(values) for kind, values in results.items()},
    }


# --- one database ----------------------------------------------------------------------------


def run_one(db: str, args: argparse.Namespace) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix=f"hotline-load-{db}-"))
    pg = Postgres(base) if db == "postgres" else None
    server: subprocess.Popen[bytes] | None = None
    try:
        env = {
            **os.environ,
            "HOTLINE_DATA_DIR": str(base / "data"),
            "DEBUG": "false",
            "SECRET_KEY": "load-test-only-" + "x" * 40,
            "SECURE_COOKIES": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "ACCESS_LOG": "/dev/null",
            "LOG_LEVEL": "WARNING",
            "DEMO_ORDERS": str(args.history),
        }
        # The defaults are measured (persistent, health-checked connections on PostgreSQL):
        # nothing from the caller's environment tunes the database connection.
        for name in (
            "DATABASE_URL",
            "DB_CONN_MAX_AGE",
            "DB_CONNECT_TIMEOUT",
            "DB_STATEMENT_TIMEOUT",
        ):
            env.pop(name, None)
        if pg is not None:
            env["DATABASE_URL"] = pg.start()
        (base / "data").mkdir()
        t0 = time.perf_counter()
        for command in (["migrate", "--no-input", "-v", "0"], ["demo"]):
            subprocess.run([HOTLINE, *command], env=env, check=True, capture_output=True, cwd=ROOT)
        token = subprocess.run(
            [HOTLINE, "token", "create", "operator"],
            env=env, check=True, capture_output=True, text=True, cwd=ROOT,
        ).stdout.strip().split()[-1]  # fmt: skip
        setup_s = time.perf_counter() - t0
        port = free_port()
        log = (base / "serve.log").open("wb")
        server = subprocess.Popen(
            [HOTLINE, "serve", "--port", str(port), "--workers", str(args.workers),
             "--threads", str(args.threads)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        for _ in range(1200):  # up to two minutes on a busy machine
            try:
                if Session(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"server did not start: {(base / 'serve.log').read_text()[-2000:]}")

        api = Session(port, token)
        _status, body, _ = api.request("GET", "/api/v1/orders?limit=1&lead_unit=jnl")
        number = json.loads(body)["items"][0]["number"]
        # One logged-in connection per page: a dispatcher at the desk and on an order of 江宁路街道,
        # that street's handler in the unit inbox.
        pages = {
            "dispatch_desk": (Session(port), "/desk/dispatch/", "dispatcher"),
            "unit_inbox": (Session(port), "/desk/unit/", "unit-jnl"),
            "order_page": (Session(port), f"/orders/{number}/", "dispatcher"),
        }
        for session, _path, username in pages.values():
            session.login(username)
        pages = {name: (session, path) for name, (session, path, _user) in pages.items()}
        for session, path in pages.values():  # warm up every worker's caches
            for _ in range(4):
                assert session.request("GET", path)[0] == 200, path
        saturate(port, token, 2, 200, args.concurrency)  # warm-up, not reported

        result: dict[str, Any] = {"setup_s": round(setup_s, 1), "history_orders": args.history}
        cpu_before = (tree_cpu(server.pid), tree_cpu(pg.pid) if pg else 0.0, time.process_time())
        result["saturation"] = saturate(
            port, token, args.seconds, args.max_orders, args.concurrency
        )
        cpu_after = (tree_cpu(server.pid), tree_cpu(pg.pid) if pg else 0.0, time.process_time())
        orders = max(result["saturation"]["orders"], 1)
        web, database, client = (
            round((b - a) * 1000 / orders, 2) for a, b in zip(cpu_before, cpu_after, strict=True)
        )
        # CPU time per order is what the machine's other tenants do not change much: 2 cores
        # divided by it is what this box would sustain with nothing else running.
        result["cpu_ms_per_order"] = {
            "web": web,
            "database": database,
            "load_client": client,
            "total": round(web + database + client, 2),
        }
        result["projected_orders_per_s_on_idle_cores"] = round(
            (os.cpu_count() or 1) * 1000 / (web + database + client), 1
        )
        result["paced"] = paced(port, token, args.rate, args.seconds, args.page_rate, pages)
        _status, body, _ = api.request("GET", "/api/v1/orders?limit=1")
        result["orders_in_database"] = json.loads(body)["count"]
        return result
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        if pg is not None:
            pg.stop()
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--seconds", type=float, default=20.0, help="per phase (at most 120)")
    parser.add_argument("--max-orders", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=50.0, help="paced orders per second")
    parser.add_argument("--page-rate", type=float, default=5.0, help="each page, per second")
    parser.add_argument("--history", type=int, default=1000, help="demo orders before the test")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    args.seconds = min(args.seconds, 120.0)
    with open("/proc/loadavg") as f:
        load_before = f.read().split()[:3]
    out: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "loadavg_before": load_before},
        "server": f"hotline serve --workers {args.workers} --threads {args.threads} (gunicorn)",
        "intake": "POST /api/v1/orders, operator token",
    }
    for db in args.db.split(","):
        out[db] = run_one(db, args)
    with open("/proc/loadavg") as f:
        out["machine"]["loadavg_after"] = f.read().split()[:3]
    pg = out.get("postgres")
    if pg:
        out["targets"] = {
            "postgres_orders_per_s>=200": pg["saturation"]["orders_per_s"] >= 200,
            "p99_at_50_per_s<=250ms": (pg["paced"]["intake"]["p99_ms"] or 1e9) <= 250,
        }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
