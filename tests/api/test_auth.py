"""Token authentication: a valid, unrevoked token of an active user, and nothing else."""

from __future__ import annotations

from django.test import Client

from hotline import clock
from hotline.org.models import ApiToken
from tests.api.conftest import BASE, ApiClient, error_of
from tests.conftest import PASSWORD


def test_request_without_token_is_refused(api):
    response = api(None).get("/orders")
    assert response.status_code == 401
    assert error_of(response)["error"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


def test_unknown_token_is_refused(district):
    response = ApiClient("hl_not-a-real-token").get("/orders")
    assert response.status_code == 401
    assert error_of(response)["error"] == "unauthorized"


def test_revoked_token_is_refused(district):
    token, raw = ApiToken.issue(district.dan)
    assert ApiClient(raw).get("/orders").status_code == 200
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    response = ApiClient(raw).get("/orders")
    assert response.status_code == 401
    assert error_of(response)["error"] == "unauthorized"


def test_token_of_deactivated_user_is_refused(district):
    _token, raw = ApiToken.issue(district.dan)
    district.dan.is_active = False
    district.dan.save(update_fields=["is_active"])
    assert ApiClient(raw).get("/orders").status_code == 401


def test_other_authorization_schemes_are_refused(district):
    _token, raw = ApiToken.issue(district.dan)
    client = Client(headers={"Authorization": f"Token {raw}"})
    response = client.get(f"{BASE}/orders")
    assert response.status_code == 401
    assert error_of(response)["error"] == "unauthorized"


def test_unauthenticated_write_is_refused_before_its_body_is_read(api):
    response = api(None).post("/orders", raw="{not json")
    assert response.status_code == 401


def test_logged_in_session_without_token_does_not_reach_the_api(district):
    client = Client()
    assert client.login(username="dan", password=PASSWORD)
    response = client.get(f"{BASE}/orders")
    assert response.status_code == 401


def test_token_writes_need_no_csrf_token(api, district):
    # The test client enforces CSRF checks: a token-authenticated POST must pass without one.
    response = api(district.olga).post("/orders", {"title": "噪音扰民", "description": "夜间施工"})
    assert response.status_code == 201, response.content
