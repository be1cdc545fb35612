"""Login lockout (django-axes): five wrong passwords lock the username from that client for a
quarter of an hour; the right password does not get in meanwhile."""

from __future__ import annotations

import datetime as dt

import time_machine
from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import PASSWORD


def attempt(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_login_even_for_the_right_password(client, district):
    for _ in range(4):
        assert attempt(client, "dan", "guess").status_code == 200  # the form again, with an error
    locked = attempt(client, "dan", "guess")
    assert locked.status_code == 429
    assert 'data-testid="locked-out"' in locked.content.decode()
    again = attempt(client, "dan", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cool_off(client, district):
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "dan", "guess")
        assert attempt(client, "dan", PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert attempt(client, "dan", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(district.dan.pk)


def test_a_lockout_is_per_username_so_colleagues_still_log_in(client, district):
    for _ in range(5):
        attempt(client, "dan", "guess")
    assert attempt(client, "olga", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, district):
    for _ in range(4):
        attempt(client, "dan", "guess")
    assert attempt(client, "dan", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "dan", "guess")
    assert attempt(client, "dan", PASSWORD).status_code == 302


def test_an_administrator_unlocks_by_deleting_the_attempt(client, district):
    for _ in range(5):
        attempt(client, "dan", "guess")
    assert AccessAttempt.objects.filter(username="dan").exists()
    AccessAttempt.objects.filter(username="dan").delete()  # what the admin's delete action does
    assert attempt(client, "dan", PASSWORD).status_code == 302


def test_the_admin_login_is_locked_too(client, district):
    for _ in range(5):
        client.post("/admin/login/", {"username": "ada", "password": "guess"})
    response = client.post("/admin/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429
