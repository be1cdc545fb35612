"""Token scopes (attack finding, session 20): a partner app's Open311 ``api_key`` was also a full
bearer token on ``/api/v1/`` — it paged through every order's name, phone and address. A token now
works only where its scopes say: ``open311``, ``api:read`` (GET), ``api:write`` (the POSTs)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from hotline.orders.models import State, WorkOrder
from hotline.org.models import ApiToken, Role
from hotline.security.models import PhoneView
from tests.api.conftest import ApiClient, error_of
from tests.conftest import make_user
from tests.open311.test_georeport import post
from tests.orders.factory import new_order, order_in

ORDER = {"title": "噪音", "description": "夜间施工"}


@pytest.fixture
def pat(district):
    """The partner system's account: an operator, as Open311 posting requires."""
    return make_user("pat", district.centre, Role.OPERATOR)


def create(*args: str) -> str:
    out = io.StringIO()
    call_command("token", "create", *args, stdout=out)
    return out.getvalue().strip()


def listing(*args: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("token", "list", *args, stdout=out)
    return [line.split("\t") for line in out.getvalue().splitlines()]


def test_an_open311_key_reads_nothing_from_the_json_api(district, pat):
    new_order(district)
    _token, raw = ApiToken.issue(pat, "partner app", scopes=["open311"])

    for attempt in range(2):  # the second answer comes from the remembered token
        response = ApiClient(raw).get("/orders")
        assert response.status_code == 403, attempt
        assert error_of(response)["error"] == "forbidden"
        assert "api:read" in error_of(response)["detail"]
    assert ApiClient(raw).get("/orders", {"phone": "13812345678"}).status_code == 403
    assert ApiClient(raw).get(f"/orders/{WorkOrder.objects.get().number}").status_code == 403


def test_an_open311_key_acts_on_nothing_through_the_json_api(district, pat):
    _token, raw = ApiToken.issue(pat, "partner app", scopes=["open311"])

    response = ApiClient(raw).post("/orders", ORDER)

    assert response.status_code == 403
    assert not WorkOrder.objects.exists()


def test_an_open311_key_still_posts_through_open311(district, pat):
    _token, raw = ApiToken.issue(pat, "partner app", scopes=["open311"])

    response = post(Client(), raw)

    assert response.status_code == 200
    assert WorkOrder.objects.count() == 1


def test_a_json_api_token_is_refused_by_open311(district, pat):
    _token, raw = ApiToken.issue(pat, "integration", scopes=["api"])

    response = post(Client(), raw)

    assert response.status_code == 403
    assert "Open311" in response.json()[0]["description"]
    assert not WorkOrder.objects.exists()
    assert ApiClient(raw).get("/orders").status_code == 200  # where it does work


def test_a_read_only_token_reads_but_does_not_act(district, pat):
    _token, raw = ApiToken.issue(pat, "dashboard", scopes=["api:read"])

    assert ApiClient(raw).get("/orders").status_code == 200
    response = ApiClient(raw).post("/orders", ORDER)
    assert response.status_code == 403
    assert "api:write" in error_of(response)["detail"]
    assert not WorkOrder.objects.exists()


def test_a_token_with_all_scopes_works_everywhere_as_before(district, pat):
    # As every token made before scopes.
    _token, raw = ApiToken.issue(pat, "old token", scopes=ApiToken.SCOPES)

    assert ApiClient(raw).get("/orders").status_code == 200
    assert ApiClient(raw).post("/orders", ORDER).status_code == 201
    assert post(Client(), raw).status_code == 200


def test_a_token_without_scopes_works_nowhere(district, pat):
    _token, raw = ApiToken.issue(pat, "none", scopes=[])

    assert ApiClient(raw).get("/orders").status_code == 403
    assert post(Client(), raw).status_code == 403


def test_a_token_issued_in_code_is_the_json_api_only_unless_told_otherwise(district, pat):
    # The model gave all three scopes while the command gave the API only (attacker's leftover
    # of session 20): code that forgot to say made a key that also worked as Open311's api_key.
    token, raw = ApiToken.issue(pat, "integration")

    assert token.scopes == "api:read api:write"
    assert ApiClient(raw).post("/orders", ORDER).status_code == 201
    assert post(Client(), raw).status_code == 403


def test_the_command_makes_a_json_api_token_unless_told_otherwise(district, pat):
    raw = create("pat", "--name", "integration")

    assert ApiClient(raw).get("/orders").status_code == 200
    assert post(Client(), raw).status_code == 403
    assert listing("pat")[0][3] == "api:read,api:write"


def test_the_command_makes_an_open311_key(district, pat):
    raw = create("pat", "--name", "partner app", "--scope", "open311")

    assert post(Client(), raw).status_code == 200
    assert ApiClient(raw).get("/orders").status_code == 403
    assert listing("pat")[0][3] == "open311"


def test_the_command_takes_several_scopes(district, pat):
    create("pat", "--scope", "open311,api:read")
    create("pat", "--scope", "api:write", "--scope", "open311")

    assert [row[3] for row in listing("pat")] == ["open311,api:read", "open311,api:write"]


def test_the_command_refuses_an_unknown_scope(district, pat):
    with pytest.raises(CommandError, match="unknown scope 'admin'"):
        create("pat", "--scope", "admin")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("api", "api:read api:write"), ("open311, api:read", "open311 api:read"), ("apii", None)],
)
def test_the_admin_takes_the_scopes_as_the_command_does(district, pat, client, typed, stored):
    # Free text here stored a shorthand or a typo: a token that worked nowhere (review).
    token, _raw = ApiToken.issue(pat, name="partner", scopes=[ApiToken.OPEN311])
    district.ada.is_staff = district.ada.is_superuser = True
    district.ada.save()
    client.force_login(district.ada)
    url = f"/admin/org/apitoken/{token.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(user=pat.pk, scopes=typed)
    sent = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    token.refresh_from_db()
    if stored is None:
        assert sent.status_code == 200 and "Unknown scope apii" in sent.content.decode()
        assert token.scopes == "open311"
    else:
        assert sent.status_code == 302, sent.context["adminform"].form.errors
        assert token.scopes == stored


# --- a write-only token's action answers (attack report, session 22, finding 3) -----------------
# ``api:write`` without ``api:read`` is refused every GET, but each action answered with the whole
# order (the citizen's name and full phone for an operator's token): a ``comment`` of "." read any
# order the account may see.


def test_a_write_only_tokens_action_answer_carries_no_order_details(district, pat):
    order = new_order(district)
    _token, raw = ApiToken.issue(pat, "writer", scopes=[ApiToken.API_WRITE])

    response = ApiClient(raw).post(f"/orders/{order.number}/comment", {"text": "."})

    assert response.status_code == 200, response.content
    answer = response.json()
    order.refresh_from_db()
    assert answer["order"] == {
        "number": order.number,
        "state": order.state,
        "version": order.version,
    }
    assert answer["event"]["action"] == "comment"
    for secret in (order.citizen_phone, order.citizen_phone[-4:], order.description):
        assert secret not in response.content.decode()
    assert not PhoneView.objects.filter(order=order).exists()  # nothing shown, nothing viewed


def test_a_write_only_token_can_still_chain_actions_on_the_version(district, pat):
    order = new_order(district)
    _token, raw = ApiToken.issue(pat, "writer", scopes=[ApiToken.API_WRITE])
    client = ApiClient(raw)

    first = client.post(f"/orders/{order.number}/comment", {"text": "一"}).json()
    second = client.post(
        f"/orders/{order.number}/comment", {"text": "二", "version": first["order"]["version"]}
    )

    assert second.status_code == 200, second.content


def test_a_reading_and_writing_tokens_action_answer_is_the_whole_order(district, pat):
    order = new_order(district)
    _token, raw = ApiToken.issue(pat, "integration", scopes=ApiToken.DEFAULT_SCOPES)

    answer = ApiClient(raw).post(f"/orders/{order.number}/comment", {"text": "."}).json()

    assert answer["order"]["citizen_phone"] == order.citizen_phone
    assert answer["order"]["description"] == order.description
    assert PhoneView.objects.filter(order=order).exists()


def test_the_schema_says_what_a_write_only_token_is_answered(district):
    schema = Client().get("/api/v1/openapi.json").json()
    answer = schema["paths"]["/api/v1/orders/{number}/comment"]["post"]["responses"]["200"]
    assert "api:read" in answer["description"]


def _register(client: Client, raw: str, key: str):
    return client.post(
        "/api/v1/orders",
        json.dumps(ORDER),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": key},
    )


def test_a_write_only_token_cannot_follow_its_order_by_sending_the_same_key_again(district, pat):
    # Attack, session 23: a replay answered the whole order as it is now (state, lead unit,
    # deadlines, later the reply) for 24 h, to a token refused every GET.
    _token, raw = ApiToken.issue(pat, "writer", scopes=[ApiToken.API_WRITE])
    client = Client()
    first = _register(client, raw, "partner-key-1")
    assert first.status_code == 201, first.content
    number = first.json()["number"]
    assert set(first.json()) == {"number", "state", "version"}
    order = WorkOrder.objects.get(number=number)
    _dan, dan_raw = ApiToken.issue(district.dan, "desk", scopes=ApiToken.DEFAULT_SCOPES)
    dispatched = ApiClient(dan_raw).post(
        f"/orders/{number}/dispatch", {"lead_unit": district.street.code}
    )
    assert dispatched.status_code == 200, dispatched.content

    again = _register(client, raw, "partner-key-1")

    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    # What the first answer said, not the order as it is now (brief, session 24).
    assert again.json() == first.json()
    assert district.street.code not in again.content.decode()
    assert order.description not in again.content.decode()
    assert not PhoneView.objects.filter(order=order).exists()


def test_a_reading_token_is_still_answered_the_whole_order_on_a_replay(district, pat):
    _token, raw = ApiToken.issue(pat, "integration", scopes=ApiToken.DEFAULT_SCOPES)
    client = Client()
    first = _register(client, raw, "partner-key-2").json()
    again = _register(client, raw, "partner-key-2").json()
    assert first["description"] == again["description"] == ORDER["description"]


def test_a_write_only_tokens_action_answer_names_no_unit(district, pat):
    # A comment's event carries the order's lead unit: with it, a write-only token read which
    # unit holds any order it may comment on (attack, session 23).
    order = order_in(State.DISPATCHED, district)
    _token, raw = ApiToken.issue(pat, "writer", scopes=[ApiToken.API_WRITE])
    answer = ApiClient(raw).post(f"/orders/{order.number}/comment", {"text": "."})
    assert answer.status_code == 200, answer.content
    event = answer.json()["event"]
    assert event["action"] == "comment"
    assert event["unit"] is None and event["payload"] == {}
    assert order.lead_unit.code not in answer.content.decode()
