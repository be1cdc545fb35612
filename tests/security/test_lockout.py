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


def test_one_address_failing_across_many_usernames_is_shut_out(client, district, settings):
    """Password spraying: a few guesses on each of many accounts from one address (each pair
    below its own limit) shut that address out, the right password of another user too."""
    settings.LOGIN_FAILURES_PER_ADDRESS = 12
    guesses = [name for name in ("dan", "olga", "ada") for _ in range(4)]
    for username in guesses[:-1]:
        assert attempt(client, username, "guess").status_code == 200
    assert attempt(client, guesses[-1], "guess").status_code == 429  # the twelfth
    refused = attempt(client, "una", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_address_tier_counts_only_failures_not_cleared_by_a_success(client, district, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    for username in ("dan", "olga"):
        for _ in range(4):
            attempt(client, username, "guess")
        assert attempt(client, username, PASSWORD).status_code == 302
        client.post(reverse("logout"))
    assert attempt(client, "una", PASSWORD).status_code == 302


def test_an_ipv6_client_is_locked_out_by_its_64_not_by_one_address(client, district):
    for i in range(5):
        client.post(
            reverse("login"),
            {"username": "dan", "password": "guess"},
            REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}",
        )
    other = client.post(
        reverse("login"),
        {"username": "dan", "password": PASSWORD},
        REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:fffe",
    )
    assert other.status_code == 429
    elsewhere = client.post(
        reverse("login"), {"username": "dan", "password": PASSWORD}, REMOTE_ADDR="2001:db8:1:3::1"
    )
    assert elsewhere.status_code == 302


def test_one_locked_user_retrying_does_not_shut_the_whole_office(client, district, settings):
    """Dan, locked out after five, keeps pressing "log in": each username counts up to its own
    limit toward the address's, or one tired person shut every desk behind the address
    (review, session 18)."""
    settings.LOGIN_FAILURES_PER_ADDRESS = 12
    for _ in range(30):
        attempt(client, "dan", "guess")
    assert attempt(client, "olga", PASSWORD).status_code == 302


def test_a_right_password_refused_during_a_lock_is_not_counted_as_a_wrong_one(
    client, district, settings
):
    """Refused logins during a lock were recorded as failures: a colleague typing her right
    password while the address was shut extended the lock and then locked her own username."""
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        for username in ("dan", "olga"):
            for _ in range(4):
                attempt(client, username, "guess")
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        for _ in range(5):
            assert attempt(client, "una", PASSWORD).status_code == 429
    assert not AccessAttempt.objects.filter(username="una").exists()
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert attempt(client, "una", PASSWORD).status_code == 302
