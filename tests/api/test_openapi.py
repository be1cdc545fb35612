"""The OpenAPI schema describes every endpoint with its request and response schemas."""

from __future__ import annotations

import pytest
from django.test import Client

ACTIONS = [
    "answer",
    "dispatch",
    "redispatch",
    "accept",
    "return",
    "approve-return",
    "reject-return",
    "first-contact",
    "request-extension",
    "approve-extension",
    "reject-extension",
    "reply",
    "approve-reply",
    "reject-reply",
    "callback",
    "callback-attempt",
    "reopen",
    "urge",
    "supervise",
    "merge",
    "cancel",
    "comment",
    "close",
    "appeal",
    "approve-appeal",
    "reject-appeal",
    "assign-inside",
    "hand-back",
]


@pytest.fixture
def schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _ref(content: dict) -> str:
    schema = content["application/json"]["schema"]
    # An optional body is "this schema or null".
    refs = [s["$ref"] for s in schema.get("anyOf", [schema]) if "$ref" in s]
    assert len(refs) == 1, schema
    return refs[0].rsplit("/", 1)[-1]


def test_schema_lists_every_endpoint(schema):
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/orders"])
    reads = ("events", "actions", "suggestions")
    for path in ("/orders/{number}", *(f"/orders/{{number}}/{r}" for r in reads)):
        assert "get" in paths["/api/v1" + path]
    assert "get" in paths["/api/v1/units"]
    assert "get" in paths["/api/v1/categories"]
    action_paths = {p for p in paths if p.startswith("/api/v1/orders/{number}/")} - {
        f"/api/v1/orders/{{number}}/{r}" for r in reads
    }
    assert action_paths == {f"/api/v1/orders/{{number}}/{a}" for a in ACTIONS}


def test_action_endpoints_describe_their_body_result_and_errors(schema):
    post = schema["paths"]["/api/v1/orders/{number}/approve-reply"]["post"]
    assert _ref(post["requestBody"]["content"]) == "NoteIn"
    assert not post["requestBody"].get("required")  # every field of NoteIn is optional
    assert _ref(post["responses"]["200"]["content"]) == "ActionResult"
    for status in ("401", "403", "404", "409", "422"):
        assert _ref(post["responses"][status]["content"]) == "ErrorOut"
    dispatch = schema["paths"]["/api/v1/orders/{number}/dispatch"]["post"]
    assert _ref(dispatch["requestBody"]["content"]) == "DispatchIn"
    assert dispatch["requestBody"]["required"] is True


def test_schema_lists_enumerations_and_bearer_auth(schema):
    components = schema["components"]
    assert "satisfied" in components["schemas"]["Satisfaction"]["enum"]
    assert "approve-reply" in components["schemas"]["ActionName"]["enum"]
    assert components["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    register = schema["paths"]["/api/v1/orders"]["post"]
    assert _ref(register["requestBody"]["content"]) == "RegisterIn"
    # The whole order, or its number, state and version for a write-only token.
    answer = register["responses"]["201"]["content"]["application/json"]["schema"]
    assert [s["$ref"].rsplit("/", 1)[-1] for s in answer["anyOf"]] == [
        "OrderOut",
        "OrderVersionOut",
    ]
    assert "api:read" in register["description"]
