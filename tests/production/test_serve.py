"""``hotline serve`` in production mode, as a real gunicorn: hashed static files collected and
served by the app itself, the security headers on every page, phone numbers masked in the access
log, no debug page."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.production.live import Deployment, free_port


@pytest.fixture
def production(tmp_path) -> Iterator[tuple[Deployment, int]]:
    live = Deployment(tmp_path)
    live.env.pop("STATIC_MANIFEST")  # the production default: hashed files, collected at start
    live.env["ACCESS_LOG"] = str(tmp_path / "access.log")
    live.env["TRUSTED_PROXIES"] = "127.0.0.1"  # the tests play the reverse proxy
    try:
        live.hotline("migrate", "--no-input", "-v", "0")
        port = free_port()
        live.serve(port, workers=2)
        yield live, port
    finally:
        live.drop()


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_production_server_serves_hashed_static_files_and_security_headers(production):
    _live, port = production
    status, headers, html = get(port, "/")
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    css = re.search(r'href="(/static/hotline/app\.[0-9a-f]{12}\.css)"', html)
    assert css, "the page links the hashed stylesheet"
    status, headers, _ = get(port, css.group(1))
    assert status == 200
    assert "immutable" in headers["Cache-Control"]  # WhiteNoise: cached for good


def test_no_debug_page_and_no_phone_number_in_the_access_log(production):
    live, port = production
    status, _, html = get(
        port, "/no-such-page/?phone=13812345678", **{"X-Forwarded-For": "203.0.113.9"}
    )
    assert status == 404
    assert "Traceback" not in html and "URLconf" not in html
    log = ""
    for _ in range(100):  # gunicorn writes the line just after sending the answer
        log = (live.base / "access.log").read_text()
        if "/no-such-page/" in log:
            break
        time.sleep(0.1)
    assert "/no-such-page/?phone=*******5678" in log
    # The client the trusted proxy named, not the proxy.
    assert log.splitlines()[-1].startswith("203.0.113.9 ")
    assert "13812345678" not in log
