"""API tokens may be given an expiry (``hotline token create … --expires 90d``): refused after it
by the API (also when the process remembers the token) and by Open311, shown by ``hotline token
list`` and in the admin.

Before: tokens never expired; one copied into a partner's configuration worked for ever."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from hotline.org.models import ApiToken
from tests.conftest import at

NOW = at("2026-03-02 10:00")


def token(*args: str) -> str:
    out = io.StringIO()
    call_command("token", "create", *args, stdout=out)
    return out.getvalue().strip()


def listing() -> str:
    out = io.StringIO()
    call_command("token", "list", stdout=out)
    return out.getvalue()


def api_status(raw: str) -> int:
    return Client().get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"}).status_code


def test_a_token_with_an_expiry_works_until_then_and_is_refused_after(district, settings):
    settings.API_TOKEN_CACHE_SECONDS = 300  # the process remembers it: expiry still counts
    with time_machine.travel(NOW, tick=False):
        raw = token("dan", "--name", "partner", "--expires", "90d")
        assert api_status(raw) == 200
    with time_machine.travel(NOW + dt.timedelta(days=89, hours=23), tick=False):
        assert api_status(raw) == 200
    with time_machine.travel(NOW + dt.timedelta(days=90, seconds=1), tick=False):
        assert api_status(raw) == 401


def test_an_expired_token_cannot_post_to_open311(district):
    with time_machine.travel(NOW, tick=False):
        raw = token("olga", "--expires", "12h")
    with time_machine.travel(NOW + dt.timedelta(hours=13), tick=False):
        response = Client().post(
            "/open311/v2/requests.json",
            {"api_key": raw, "service_code": "x", "description": "路灯不亮"},
        )
    assert response.status_code == 403


def test_a_date_expires_at_the_end_of_that_day_and_the_listing_says_so(district):
    with time_machine.travel(NOW, tick=False):
        token("dan", "--name", "partner", "--expires", "2026-06-30")
        token("olga", "--name", "forever")
        lines = listing().splitlines()
    assert any("partner" in line and "active until 2026-07-01 00:00" in line for line in lines)
    assert any("forever" in line and line.endswith("\tactive") for line in lines)
    with time_machine.travel(at("2026-07-01 00:00:01"), tick=False):
        assert "expired 2026-07-01 00:00" in listing()
    assert ApiToken.objects.get(name="partner").expires_at == at("2026-07-01 00:00")


@pytest.mark.parametrize("bad", ["90", "ninety days", "0d", "2020-01-01"])
def test_a_bad_or_past_expiry_is_refused(district, bad):
    with time_machine.travel(NOW, tick=False), pytest.raises(CommandError, match="--expires"):
        token("dan", "--expires", bad)
    assert not ApiToken.objects.exists()


def test_the_admin_shows_the_expiry(district, client):
    with time_machine.travel(NOW, tick=False):
        token("dan", "--name", "partner", "--expires", "2026-06-30")
    district.ada.is_staff = district.ada.is_superuser = True
    district.ada.save()
    client.force_login(district.ada)
    page = client.get("/admin/org/apitoken/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "column-expires_at" in page.content.decode()
