"""A real HTTP SMS gateway on this machine for the ``HttpSmsNotifier`` tests (no mocks)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import override_settings

NOTIFIER = "hotline.orders.notify.HttpSmsNotifier"


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # The timeout test's sender hangs up before the answer: a broken pipe here is expected.
        pass


class Gateway:
    """A gateway that records what it was sent and answers ``status``; ``hold`` keeps each
    answer back until released (a slow operator)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], dict[str, object]]] = []
        self.status = 200
        self.location = ""
        self.hold = threading.Event()
        self.hold.set()
        self.answered = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                headers["body"] = body.decode()
                gateway.received.append((headers, json.loads(body)))
                gateway.hold.wait(10)
                # Before the answer goes out: once a sender has read it, the flag is set (set
                # after the write, a loaded machine let the test look first; CI, session 25).
                gateway.answered.set()
                self.send_response(gateway.status)
                if gateway.location:
                    self.send_header("Location", gateway.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *_args: object) -> None:
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running_gateway() -> Iterator[Gateway]:
    """A gateway on 127.0.0.1 with ``HttpSmsNotifier`` the only adapter, pointed at it."""
    gw = Gateway()
    try:
        with override_settings(
            NOTIFIERS=[NOTIFIER],
            SMS_GATEWAY_URL=gw.url,
            SMS_GATEWAY_TOKEN="gateway-token",
            SMS_GATEWAY_SECRET="signing-secret",
            SMS_GATEWAY_TIMEOUT=2,
        ):
            yield gw
    finally:
        gw.close()
