"""Every error answers in its interface's format: JSON under /api/ (404, 405, 413, 500, 503),
the GeoReport error document under /open311/, pages for people; while the database cannot be
reached the answer is 503 with Retry-After, never a 500.

Before: a body over 5 MB, an unknown /api/ path outside v1 and every 5xx answered HTML (718
"服务器错误" pages during the outside review's PostgreSQL outage)."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from django.db import OperationalError
from django.test import Client

from hotline.api import orders as api_orders
from hotline.open311 import views as open311_views
from hotline.org.models import ApiToken
from hotline.web import desks
from tests.api.conftest import ApiClient, error_of

SIX_MB = 6 * 1024 * 1024


@pytest.fixture
def api(district):
    def client_for(user) -> ApiClient:
        _token, raw = ApiToken.issue(user, name="tests")
        return ApiClient(raw)

    return client_for


@pytest.fixture
def server_errors_as_responses() -> Client:
    """A client that sees the 500 a real client would get instead of the re-raised exception."""
    return Client(raise_request_exception=False)


def database_gone(*_args, **_kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_an_api_body_over_5_mb_is_a_json_413(api, district):
    olga = api(district.olga)
    body = json.dumps({"title": "路灯不亮", "description": "很" * SIX_MB})
    response = olga.post("/orders", raw=body)
    assert response.status_code == 413
    assert error_of(response)["error"] == "payload_too_large"


@pytest.mark.parametrize("path", ["/api/", "/api/v2/orders", "/api/v1/"])
def test_an_unknown_api_path_outside_v1_is_a_json_404(district, path):
    response = Client().get(path)
    assert response.status_code == 404
    assert error_of(response)["error"] == "not_found"
    # Rewritten to JSON, the answer keeps the security headers every answer carries.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src" in response["Content-Security-Policy"]


def test_an_unexpected_api_failure_is_a_json_500(
    api, district, monkeypatch, server_errors_as_responses
):
    monkeypatch.setattr(api_orders, "orders_for", lambda user: 1 / 0)
    client = server_errors_as_responses
    _token, raw = ApiToken.issue(district.dan, name="tests")
    response = client.get("/api/v1/orders", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 500
    assert error_of(response)["error"] == "server_error"
    assert "ZeroDivisionError" not in response.content.decode()


def test_the_api_answers_503_with_retry_after_while_the_database_is_unreachable(
    api, district, monkeypatch
):
    monkeypatch.setattr(api_orders, "orders_for", database_gone)
    response = api(district.dan).get("/orders")
    assert response.status_code == 503
    assert error_of(response)["error"] == "unavailable"
    assert int(response["Retry-After"]) > 0


def test_a_page_answers_503_with_retry_after_while_the_database_is_unreachable(
    client, district, monkeypatch
):
    monkeypatch.setattr(desks, "render", database_gone)
    client.force_login(district.dan)
    response = client.get("/desk/dispatch/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert 'data-testid="error-503"' in response.content.decode()


def test_open311_answers_its_error_document_while_the_database_is_unreachable(
    district, monkeypatch
):
    monkeypatch.setattr(open311_views, "_published", database_gone)
    response = Client().get("/open311/v2/requests.xml")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/xml")
    error = ET.fromstring(response.content).find("error")
    assert error is not None and error.findtext("code") == "503"
    json_response = Client().get("/open311/v2/requests.json")
    assert json_response.status_code == 503
    assert json_response.json()[0]["code"] == 503


def test_an_open311_body_over_5_mb_is_a_413_error_document(district):
    response = Client().post(
        "/open311/v2/requests.json",
        {"api_key": "x", "service_code": "x", "description": "很" * SIX_MB},
    )
    assert response.status_code == 413
    assert response.json()[0]["code"] == 413
