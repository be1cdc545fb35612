"""A wrong HTTP method on a known path is a JSON error like every other, with the Allow header."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_of


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/units", "GET"),
        ("post", "/categories", "GET"),
        ("put", "/orders", "GET, POST"),
        ("get", "/orders/20230309-000001/accept", "POST"),
    ],
)
def test_a_wrong_method_is_a_json_405(api, district, method, path, allowed):
    client = api(district.dan).client
    response = getattr(client, method)("/api/v1" + path)
    assert response.status_code == 405
    assert error_of(response)["error"] == "method_not_allowed"
    assert sorted(response["Allow"].split(", ")) == sorted(allowed.split(", "))
