"""Production mode (DEBUG off, the default): branded error pages, never Django's debug pages; a
Content-Security-Policy that forbids inline script; secure-cookie and HSTS settings that pass
Django's deployment check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import path

from hotline.urls import urlpatterns as project_urls

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "hotline" / "templates"


def broken_view(request):
    raise RuntimeError("the database fell over")


# This module is also a URLconf (pytest.mark.urls): the project's URLs plus one that fails.
urlpatterns = [path("test-boom/", broken_view), *project_urls]


def test_debug_is_off_unless_asked():
    assert settings.DEBUG is False


def test_an_unknown_page_gets_the_branded_404_not_the_debug_page(client, district):
    client.force_login(district.dan)
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in html
    assert "URLconf" not in html and "Traceback" not in html


@pytest.mark.urls("tests.security.test_production_mode")
def test_a_crash_gets_the_branded_500_without_the_traceback(client, district):
    client.raise_request_exception = False
    response = client.get("/test-boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="error-500"' in html
    assert "the database fell over" not in html and "Traceback" not in html


def test_pages_carry_a_csp_without_inline_script(client, district):
    client.force_login(district.dan)
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_login_page_and_api_docs_carry_the_policy_too(client, district):
    assert "Content-Security-Policy" in client.get("/").headers
    assert "Content-Security-Policy" in client.get("/api/v1/docs").headers


INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")) + sorted(
        ROOT.glob("hotline/*/templates/**/*.html")
    ):
        text = template.read_text(encoding="utf-8")
        if INLINE_HANDLER.search(text) or INLINE_SCRIPT.search(text):
            offenders.append(str(template.relative_to(ROOT)))
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{template.relative_to(ROOT)} (inline style)")
    assert offenders == []


def test_session_and_csrf_cookies_are_secure_by_default_in_production():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SECURE_COOKIES", "DEBUG")}
    env.update(
        SECRET_KEY="a-long-random-production-key-" + "k3y" * 20,
        DJANGO_SETTINGS_MODULE="hotline.settings",
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert out.stdout.split() == ["True", "True", "True", "True"]


def test_a_production_configuration_passes_djangos_deployment_check():
    env = {k: v for k, v in os.environ.items() if k not in ("SECURE_COOKIES", "DEBUG")}
    env.update(
        SECRET_KEY="a-long-random-production-key-" + "k3y" * 20,
        ALLOWED_HOSTS="12345.example.gov.cn",
        PUBLIC_URL="https://12345.example.gov.cn",
        BEHIND_TLS_PROXY="true",
        SSL_REDIRECT="true",
        HSTS_SECONDS="31536000",
        HSTS_INCLUDE_SUBDOMAINS="true",
        HSTS_PRELOAD="true",
    )
    result = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_secrets_come_only_from_the_environment(tmp_path):
    # A deployment names its data directory; only a development checkout's default ./var keeps a
    # generated key of its own (hotline/local_key.py), so the refusal is tested with another one.
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env["HOTLINE_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
