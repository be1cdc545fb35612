"""`hotline createuser NAME --role ROLE` with no terminal (a script, CI) ended "hotline:
EOFError" (walk-through, session 25, A-L3): it says to give the password with --password."""

from __future__ import annotations

import getpass

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hotline.org.models import User

pytestmark = pytest.mark.django_db


def test_no_terminal_says_to_use_the_password_option(monkeypatch):
    def no_terminal(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(getpass, "getpass", no_terminal)
    with pytest.raises(CommandError, match="--password"):
        call_command("createuser", "newbie", "--role", "dispatcher")
    assert not User.objects.filter(username="newbie").exists()
    call_command("createuser", "newbie", "--role", "dispatcher", "--password", "a-long-secret-1")
    assert User.objects.filter(username="newbie").exists()
