"""Token authentication: a valid, unrevoked token of an active user, and nothing else."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from hotline import clock
from hotline.api import auth
from hotline.org.models import ApiToken, UserRole
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


# --- The token's user, remembered per process (API_TOKEN_CACHE_SECONDS) ---------------------


def _token_queries(client: ApiClient) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/units").status_code == 200
    return sum('"org_apitoken"' in q["sql"] or '"org_userrole"' in q["sql"] for q in queries)


def test_token_user_is_remembered_between_calls(district):
    _token, raw = ApiToken.issue(district.dan)
    client = ApiClient(raw)
    assert _token_queries(client) == 2  # the token with its user, then the user's roles
    assert _token_queries(client) == 0


@override_settings(API_TOKEN_CACHE_SECONDS=0)
def test_without_the_cache_every_call_reads_the_token(district):
    _token, raw = ApiToken.issue(district.dan)
    client = ApiClient(raw)
    assert _token_queries(client) == 2
    assert _token_queries(client) == 2


def test_token_revoked_by_the_command_is_refused_at_once(district):
    token, raw = ApiToken.issue(district.dan)
    client = ApiClient(raw)
    assert client.get("/orders").status_code == 200
    call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    assert client.get("/orders").status_code == 401


def test_role_taken_away_holds_at_once(api, district):
    client = api(district.olga)
    body = {"title": "噪音扰民", "description": "夜间施工"}
    assert client.post("/orders", body).status_code == 201
    UserRole.objects.filter(user=district.olga).delete()
    assert client.post("/orders", body).status_code == 403


def test_a_change_made_by_another_process_holds_within_the_cache_time(district, monkeypatch):
    """Another process's revocation reaches this one's memory only when the entry expires."""
    token, raw = ApiToken.issue(district.dan)
    client = ApiClient(raw)
    now = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: now[0])
    assert client.get("/orders").status_code == 200
    # A bulk update sends no signal: as if the token were revoked by another process.
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())
    now[0] += settings.API_TOKEN_CACHE_SECONDS - 0.5
    assert client.get("/orders").status_code == 200
    now[0] += 1
    assert client.get("/orders").status_code == 401


def test_each_request_gets_its_own_copy_of_the_remembered_user(district):
    _token, raw = ApiToken.issue(district.dan)
    first = auth.token_user(raw)
    second = auth.token_user(raw)
    assert first is not None and second is not None
    assert first == second and first is not second
    assert second.roles == first.roles
