"""Login, logout, password change and the landing page per role."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD


def test_anonymous_visitor_gets_the_login_form_at_the_root(client, district):
    response = client.get("/")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert client.get(reverse("dispatch_desk")).status_code == 302


def test_wrong_password_is_refused_with_a_message(client, district):
    response = client.post(reverse("login"), {"username": "dan", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("username", "role", "absent"),
    [
        ("olga", "operator", "dispatcher"),
        ("dan", "dispatcher", "unit_handler"),
        ("una", "unit_handler", "dispatcher"),
        ("cathy", "callback_agent", "leader"),
        ("sam", "supervisor", "admin"),
        ("leo", "leader", "operator"),
        ("ada", "admin", "operator"),
    ],
)
def test_each_role_lands_on_its_own_section(client, district, username, role, absent):
    response = client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-role="{role}"' in html
    assert f'data-role="{absent}"' not in html


def test_landing_page_is_chinese_by_default_and_english_on_request(client, district):
    client.force_login(district.dan)
    assert "派单" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Dispatch desk" in client.get("/").content.decode()


def test_logout_ends_the_session(client, district):
    client.force_login(district.dan)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
    assert 'name="password"' in client.get("/").content.decode()


def test_password_change(client, district):
    client.force_login(district.dan)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Hotline-12345-new",
            "new_password2": "Hotline-12345-new",
        },
    )
    assert response.status_code == 302
    district.dan.refresh_from_db()
    assert district.dan.check_password("Hotline-12345-new")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(district):
    district.dan.set_password("Hotline-12345-new")
    assert identify_hasher(district.dan.password).algorithm == "argon2"


def test_admin_site_lists_units_with_search(client, district):
    client.force_login(district.ada)
    district.ada.is_staff = district.ada.is_superuser = True
    district.ada.save()
    response = client.get("/admin/org/unit/?q=江宁")
    assert response.status_code == 200
    assert "江宁路街道" in response.content.decode()
    assert "区民政局" not in response.content.decode()


def test_admin_calendar_warning_shows_for_admins(client, district):
    import time_machine

    from tests.conftest import at

    client.force_login(district.ada)
    with time_machine.travel(at("2026-11-22 10:00"), tick=False):
        html = client.get("/").content.decode()
    assert "2027" in html


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
