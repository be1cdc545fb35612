"""The admin site follows the 管理员 role (attack report, session 22, finding 4).

``createuser --role admin`` (and the demo) make an administrator a Django superuser; taking the
role away (the user page's roles inline deletes the ``UserRole`` row) left ``is_staff`` and
``is_superuser`` set, and with them the whole admin: issuing an API token for anyone, giving
oneself roles back. A superuser without the admin role now gets the admin's login page.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from hotline.org.models import Role, User

PAGES = ("/admin/", "/admin/org/apitoken/add/", "/admin/org/user/", "/admin/security/phoneview/")


def opens(user: User, path: str) -> bool:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")
        return False
    assert response.status_code == 200, (path, response.status_code)
    return True


@pytest.fixture
def exadmin(district) -> User:
    call_command("createuser", "exadmin", "--role", "admin", "--password", "x-Long-enough-1")
    user = User.objects.get(username="exadmin")
    assert user.is_staff and user.is_superuser
    return user


@pytest.mark.parametrize("path", PAGES)
def test_an_administrator_opens_the_admin(exadmin, path):
    assert opens(exadmin, path)


@pytest.mark.parametrize("path", PAGES)
def test_taking_the_admin_role_away_closes_the_admin(exadmin, path):
    exadmin.role_grants.filter(role=Role.ADMIN).delete()  # what the roles inline's delete does
    exadmin = User.objects.get(pk=exadmin.pk)

    assert exadmin.is_superuser and not exadmin.roles
    assert not opens(exadmin, path)


def test_a_superuser_with_another_role_only_is_refused_too(exadmin, district):
    exadmin.role_grants.filter(role=Role.ADMIN).update(role=Role.OPERATOR)
    exadmin = User.objects.get(pk=exadmin.pk)

    assert exadmin.roles == {Role.OPERATOR}
    assert not opens(exadmin, "/admin/")


def test_staff_given_one_models_permission_still_open_that_page(district):
    """Not a superuser: staff given a model's permission by an administrator (a bureau's handler
    reading the dispatch model) keep the page they were given, and only that."""
    victor = district.victor
    victor.is_staff = True
    victor.save(update_fields=["is_staff"])
    victor.user_permissions.add(Permission.objects.get(codename="view_phoneview"))

    assert opens(victor, "/admin/security/phoneview/")
    client = Client()
    client.force_login(victor)
    assert client.get("/admin/org/apitoken/add/").status_code == 403


def test_the_menu_offers_the_admin_only_to_whom_it_opens(exadmin):
    client = Client()
    client.force_login(exadmin)
    assert 'href="/admin/"' in client.get("/").content.decode()

    exadmin.role_grants.all().delete()
    exadmin.role_grants.create(role=Role.OPERATOR)

    assert 'href="/admin/"' not in client.get("/").content.decode()


def test_a_superuser_is_created_with_the_admin_role(district, monkeypatch):
    """The admin now needs the role: an account made the habitual Django way gets it, as does
    one made in code (User.objects.create_superuser)."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "x-Long-enough-1")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "r@example.com")
    root = User.objects.get(username="root")

    assert root.is_superuser and root.roles == {Role.ADMIN}
    assert opens(root, "/admin/org/user/")
    made_in_code = User.objects.create_superuser("root2", password="x-Long-enough-1")
    assert made_in_code.roles == {Role.ADMIN}
