"""An API client per named person: ``api(district.una).get("/orders")``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from hotline.org.models import ApiToken, User

BASE = "/api/v1"


class ApiClient:
    """Django's test client with a Bearer token and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        self.client = Client(headers=headers, enforce_csrf_checks=True)

    def get(self, path: str, params: Any = None):
        return self.client.get(BASE + path, params or {})

    def post(self, path: str, body: Any = None, *, raw: str | bytes | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(BASE + path, data, content_type="application/json")


@pytest.fixture(autouse=True)
def _keep_the_language():
    """Requests activate the caller's language in this thread; later tests must not inherit it."""
    language = translation.get_language()
    yield
    if language is None:
        translation.deactivate_all()
    else:
        translation.activate(language)


@pytest.fixture
def api(district) -> Callable[[User | None], ApiClient]:
    """A client acting as this person (through a freshly issued token), or with no token."""

    def client_for(user: User | None) -> ApiClient:
        if user is None:
            return ApiClient(None)
        _token, raw = ApiToken.issue(user, name="tests")
        return ApiClient(raw)

    return client_for


def error_of(response) -> dict[str, Any]:
    """The JSON error body, after checking it has the documented shape."""
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) >= {"error", "detail"}, body
    assert body["detail"], body
    return body
