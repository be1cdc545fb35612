"""Password reset by e-mail (h4, session 24, G): an administrator is never reset by e-mail, a link
works for an hour, every link mailed, refused ask and password set is in the admin's log, and the
per-address day limit counts every spelling that reaches one user (``ſ``, long s) under one key.

h4 reset the superuser ``admin`` by e-mail alone with Django's 3-day link, and nothing recorded
it; on PostgreSQL ``sus@``, ``ſus@``, ``suſ@`` and ``ſuſ@`` reached one user under four keys."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.db import connection
from django.test import Client

from hotline import clock
from hotline.org.models import Role, User, UserRole
from hotline.security.accounts import _email_key
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-long-passphrase-42"


@pytest.fixture(autouse=True)
def reset_on(settings):
    settings.PASSWORD_RESET = True
    settings.PASSWORD_RESETS_PER_IP_HOUR = 3


def _with_email(user: User, email: str) -> User:
    user.email = email
    user.save(update_fields=["email"])
    return user


def _ask(email: str, address: str = "203.0.113.5"):
    return Client(REMOTE_ADDR=address).post("/accounts/password_reset/", {"email": email})


def _link() -> str:
    (message,) = mail.outbox
    return re.search(r"/accounts/reset/[^/\s]+/[^/\s]+/", message.body).group(0)


def _set_password(link: str, address: str = "203.0.113.5"):
    """Follows the mailed link as a browser does (it redirects to the form) and sets a password:
    the last answer and whether the form was offered."""
    client = Client(REMOTE_ADDR=address)
    form = client.get(link, follow=True)
    offered = b'name="new_password1"' in form.content
    answer = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    return answer, offered


def _history(user: User) -> list[str]:
    return list(
        LogEntry.objects.filter(object_id=str(user.pk), content_type__model="user")
        .order_by("id")
        .values_list("change_message", flat=True)
    )


# --- administrators ---------------------------------------------------------------------------


def _administrator(district) -> User:
    return _with_email(district.ada, "ada@hotline.example")


def _superuser(district) -> User:
    return User.objects.create_superuser("root", "root@hotline.example", PASSWORD)


def _superuser_without_the_role(district) -> User:
    user = User.objects.create_superuser("former", "former@hotline.example", PASSWORD)
    UserRole.objects.filter(user=user).delete()
    return user


def _staff(district) -> User:
    user = _with_email(district.sam, "sam@hotline.example")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.mark.parametrize(
    "make",
    [_administrator, _superuser, _superuser_without_the_role, _staff],
    ids=lambda f: f.__name__,
)
def test_an_account_that_opens_the_admin_gets_no_link_and_the_ask_is_recorded(district, make):
    user = make(district)
    response = _ask(user.email)
    # The same answer as for any address: the page does not say whose it is.
    assert response.status_code == 302
    assert mail.outbox == []
    (entry,) = _history(user)
    assert "refused" in entry and "203.0.113.5" in entry
    assert user.email not in entry


def test_a_link_mailed_before_the_account_became_an_administrator_no_longer_works(district):
    dan = _with_email(district.dan, "dan@hotline.example")
    _ask(dan.email)
    link = _link()
    UserRole.objects.create(user=dan, role=Role.ADMIN)
    _answer, offered = _set_password(link)
    assert not offered
    dan.refresh_from_db()
    assert dan.check_password(PASSWORD) and not dan.check_password(NEW_PASSWORD)


# --- an hour --------------------------------------------------------------------------------


def test_a_link_works_for_an_hour_and_not_after(district):
    dan = _with_email(district.dan, "dan@hotline.example")
    asked = clock.now()
    with time_machine.travel(asked, tick=False):
        _ask(dan.email)
    link = _link()
    with time_machine.travel(asked + dt.timedelta(minutes=61), tick=False):
        _answer, offered = _set_password(link)
    assert not offered
    dan.refresh_from_db()
    assert dan.check_password(PASSWORD)
    with time_machine.travel(asked + dt.timedelta(minutes=59), tick=False):
        answer, offered = _set_password(link)
    assert offered and answer.status_code == 302
    dan.refresh_from_db()
    assert dan.check_password(NEW_PASSWORD)


# --- the record -----------------------------------------------------------------------------


def test_the_link_mailed_and_the_password_set_are_in_the_accounts_history(district):
    dan = _with_email(district.dan, "dan@hotline.example")
    _ask(dan.email, "203.0.113.5")
    answer, offered = _set_password(_link(), "198.51.100.9")
    assert offered and answer.status_code == 302
    mailed, done = _history(dan)
    assert "e-mailed" in mailed and "203.0.113.5" in mailed
    assert "set with an e-mailed reset link" in done and "198.51.100.9" in done
    assert not any("dan@hotline.example" in entry for entry in (mailed, done))


def test_a_password_set_is_logged_without_the_address(district, caplog):
    dan = _with_email(district.dan, "dan@hotline.example")
    with caplog.at_level("INFO", logger="hotline.security.accounts"):
        _ask(dan.email)
        _set_password(_link())
    lines = [r.getMessage() for r in caplog.records if r.name == "hotline.security.accounts"]
    assert len(lines) == 2 and all("user dan" in line for line in lines)
    assert not any("dan@hotline.example" in line for line in lines)


# --- the per-address day limit's key --------------------------------------------------------

LONG_S = ("sus@example.gov.cn", "ſus@example.gov.cn", "suſ@example.gov.cn", "ſuſ@example.gov.cn")


def test_every_spelling_django_takes_for_one_address_shares_one_limit_key():
    keys = {
        _email_key(email)
        for email in (
            *LONG_S,
            "SUS@EXAMPLE.GOV.CN",
            " Sus@Example.gov.cn ",
            "ｓｕｓ@example.gov.cn",
        )
    }
    assert len(keys) == 1
    assert _email_key("sue@example.gov.cn") not in keys


def test_the_long_s_spellings_of_one_address_count_toward_its_three_a_day(district):
    sue = _with_email(district.olga, "sus@example.gov.cn")
    answers = [_ask(email, f"203.0.113.{i + 1}").status_code for i, email in enumerate(LONG_S)]
    assert answers == [302, 302, 302, 429]
    # On PostgreSQL each spelling reaches the user (UPPER('ſ') is 'S'); on SQLite only the first.
    expected = 3 if connection.vendor == "postgresql" else 1
    assert len(mail.outbox) == expected
    assert all(message.to == [sue.email] for message in mail.outbox)
