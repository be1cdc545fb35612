"""A superuser is made an administrator by the user manager, not by a signal (conventions: no
business rules in signals). Every way of making one grants the 管理员 role in the same
transaction; a user saved any other way is given nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.db.models.signals import post_save

from hotline.org.models import Role, User, UserRole


def test_it_gives_createsuperuser_noinput_the_admin_role(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "x-Long-enough-1")
    call_command("createsuperuser", "--no-input")

    root = User.objects.get(username="root")
    assert root.is_superuser and root.superuser_in_force
    assert root.roles == {Role.ADMIN}


def test_it_gives_create_superuser_the_admin_role(db):
    ada = User.objects.create_superuser("ada-admin", password="x-Long-enough-1")

    assert User.objects.get(pk=ada.pk).roles == {Role.ADMIN}


def test_it_gives_create_user_made_superuser_the_admin_role_once(db):
    call_command("createuser", "ada", "--role", "admin", "--password", "x-Long-enough-1")

    assert list(UserRole.objects.filter(user__username="ada").values_list("role", flat=True)) == [
        Role.ADMIN
    ]


def test_it_gives_a_plain_user_no_role(db):
    olga = User.objects.create_user("olga", password="x-Long-enough-1")

    assert not olga.role_grants.exists()


def test_a_user_saved_outside_the_manager_gets_nothing(db):
    """The rule is on the write path only: a superuser saved directly (a fixture, a data
    migration, the demo's bulk insert) is given no role behind its author's back."""
    bare = User(username="bare", is_superuser=True, is_staff=True)
    bare.save()
    User.objects.bulk_create([User(username="bulk", is_superuser=True)])

    assert not UserRole.objects.filter(user__username__in=["bare", "bulk"]).exists()
    assert not User.objects.get(username="bare").superuser_in_force


def test_no_signal_receiver_makes_administrators(db):
    receivers = post_save._live_receivers(User)
    names = {getattr(r, "__name__", "") for group in receivers for r in group}
    assert not any("superuser" in name or "administrator" in name for name in names)


def test_the_user_and_the_role_are_made_in_one_transaction(db, monkeypatch):
    """Granting fails: the superuser is not left behind without the role."""

    def refuse(*args, **kwargs):
        raise IntegrityError("refused")

    monkeypatch.setattr(UserRole.objects, "get_or_create", refuse)
    with pytest.raises(IntegrityError):
        User.objects.create_superuser("half", password="x-Long-enough-1")

    assert not User.objects.filter(username="half").exists()
