"""schemathesis against /api/v1/openapi.json: generated requests (valid and invalid) for every
operation, with a dispatcher's token, in-process through the WSGI app. No response is a 500, and
every response — status code, content type, headers and body — matches the schema.

Bounded: a few examples per operation (the whole file stays well under a minute); Hypothesis
keeps no example database, so every run starts from the same place.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from hotline.orders import actions
from hotline.org.models import ApiToken
from tests.orders.factory import new_order

EXAMPLES = 8


@pytest.fixture
def _no_connection_closing():
    """schemathesis calls the WSGI app directly, so Django's end-of-request signal would close the
    test's database connection in the middle of its transaction (PostgreSQL then fails every
    later query). Django's own test client switches the handler off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def dispatcher_token(district, _no_connection_closing) -> str:
    # A few orders to read and act on; their numbers are also what the fuzzer may hit by chance.
    order = new_order(district)
    actions.dispatch(order, district.dan, lead_unit=district.street)
    new_order(district)
    _token, raw = ApiToken.issue(district.dan, name="fuzzing")
    return raw


# Loaded at collection (the schema endpoint reads no database). schemathesis' lazy
# ``pytest.from_fixture`` loader would fit pytest-django's fixtures better, but schemathesis 4.32
# fails with pytest 9 there ("'Function' object has no attribute '_nodeid'").
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, dispatcher_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {dispatcher_token}"},
        # "Every schema-valid request succeeds" cannot hold for a workflow API: a well-formed
        # unit code may name no unit, an action may not fit the order's state (404/409/422 are
        # documented answers). Every other check runs, invalid-data rejection included.
        excluded_checks=[positive_data_acceptance],
    )


#: Issue 13: what the generated requests rarely hit on their own. Every operation, with a NUL
#: and another control character in its query, and with days in year 1 and 9999.
HOSTILE_QUERIES = [
    {"q": "\x00", "note": "\x01\x0b"},
    {"registered_from": "0001-01-01", "registered_to": "0001-01-02"},
    {"registered_from": "9999-12-30", "registered_to": "9999-12-31"},
]


@schema.parametrize()
@settings(
    max_examples=1,
    phases=[Phase.generate],  # one generated request per operation: the hostile part is ours
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("hostile", HOSTILE_QUERIES, ids=["controls", "year-1", "year-9999"])
def test_control_characters_and_extreme_dates_are_clean_refusals(case, dispatcher_token, hostile):
    mine = {key for query in HOSTILE_QUERIES for key in query}
    query = {k: v for k, v in (case.query or {}).items() if k not in mine}
    case.query = {**query, **hostile}
    response = case.call(headers={"Authorization": f"Bearer {dispatcher_token}"})
    assert response.status_code < 500, response.text[:500]
    headers = {name.lower(): values for name, values in response.headers.items()}
    assert headers["content-type"][0].startswith("application/json"), response.text[:200]
    if "q" in hostile:
        assert response.status_code == 400


@schema.parametrize()
@settings(
    max_examples=1,
    phases=[Phase.generate],
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_a_body_over_5_mb_is_a_json_413_for_every_operation_that_takes_one(case, dispatcher_token):
    """Issue 13: a body over DATA_UPLOAD_MAX_MEMORY_SIZE answered Django's HTML page."""
    if case.method.upper() != "POST":
        return
    # The generated path may carry a (percent-encoded) control character, and such a URL is
    # refused (a JSON 400) before the body is read: right, but not what this test is about.
    case.path_parameters = {name: "1" for name in case.path_parameters or {}}
    case.body = {"padding": "很" * (2 * 1024 * 1024)}  # 6 MB of UTF-8
    case.media_type = "application/json"
    response = case.call(headers={"Authorization": f"Bearer {dispatcher_token}"})
    assert response.status_code == 413, response.text[:300]
    assert response.json()["error"] == "payload_too_large"
