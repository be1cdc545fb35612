"""Password reset by e-mail is off unless a deployment turns it on with a real mail backend; then
asking for links is limited and a client shut out by the login lockout gets none.

The outside review found /accounts/password_reset/ public and unthrottled, with the reset link
printed to the server log by the default console backend, and took over an account with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dan_with_email(district):
    district.dan.email = "dan@hotline.example"
    district.dan.save(update_fields=["email"])
    return district.dan


@pytest.fixture
def reset_on(settings):
    settings.PASSWORD_RESET = True
    settings.PASSWORD_RESETS_PER_IP_HOUR = 3


def ask_for_a_link(client: Client, email: str = "dan@hotline.example"):
    return client.post("/accounts/password_reset/", {"email": email})


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
    ],
)
def test_password_reset_does_not_exist_by_default(district, path):
    assert Client().get(path).status_code == 404


def test_asking_for_a_link_by_default_sends_nothing(dan_with_email):
    assert ask_for_a_link(Client()).status_code == 404
    assert mail.outbox == []


def test_logging_in_and_changing_ones_password_still_work(district):
    assert Client().get(reverse("login")).status_code == 200
    client = Client()
    client.force_login(district.dan)
    assert client.get(reverse("password_change")).status_code == 200


def test_turned_on_a_link_is_mailed(dan_with_email, reset_on):
    response = ask_for_a_link(Client(REMOTE_ADDR="203.0.113.5"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dan@hotline.example"]


def test_turned_on_one_address_may_ask_only_so_many_times(dan_with_email, reset_on):
    mallory = Client(REMOTE_ADDR="198.51.100.66")
    answers = [ask_for_a_link(mallory, f"someone{i}@hotline.example").status_code for i in range(4)]
    assert answers == [302, 302, 302, 429]


def test_turned_on_one_mailbox_gets_only_a_few_links_a_day(dan_with_email, reset_on):
    for i in range(3):
        assert ask_for_a_link(Client(REMOTE_ADDR=f"203.0.113.{i + 1}")).status_code == 302
    assert ask_for_a_link(Client(REMOTE_ADDR="203.0.113.99")).status_code == 429
    assert len(mail.outbox) == 3


def test_turned_on_a_client_locked_out_of_login_gets_no_link(dan_with_email, reset_on):
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        guesser.post(reverse("login"), {"username": "dan", "password": "guess"})
    assert ask_for_a_link(guesser).status_code == 429
    assert mail.outbox == []


def test_turning_it_on_with_the_console_backend_stops_start_up():
    env = {**os.environ, "PASSWORD_RESET": "true", "DJANGO_SETTINGS_MODULE": "hotline.settings"}
    env.pop("EMAIL_BACKEND", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "PASSWORD_RESET needs an EMAIL_BACKEND" in result.stderr


def test_the_mailed_link_is_on_the_public_address_whatever_the_host(
    dan_with_email, reset_on, settings
):
    # Review, session 23: the reset link (its token) was built on the request's Host header.
    settings.PUBLIC_URL = "https://12345.example.gov.cn"
    settings.ALLOWED_HOSTS = ["12345.example.gov.cn", "internal.example"]
    response = Client(REMOTE_ADDR="203.0.113.5", HTTP_HOST="internal.example").post(
        "/accounts/password_reset/", {"email": "dan@hotline.example"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "https://12345.example.gov.cn/accounts/reset/" in message.body
    assert "internal.example" not in message.body
