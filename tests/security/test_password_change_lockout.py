"""The password-change form's old password is checked as a login: it counts toward the login
lockout and is refused, the right one too, once locked (attack, session 20: 25 wrong old
passwords were all answered with the form again, then the right one changed the password)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import PASSWORD

NEW = "a quite different passphrase 42"


def change(client, old: str):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW, "new_password2": NEW},
    )


def test_the_right_old_password_changes_it(client, district):
    client.force_login(district.dan)
    got = change(client, PASSWORD)
    assert got.status_code == 302
    assert got["Location"] == reverse("password_change_done")
    district.dan.refresh_from_db()
    assert district.dan.check_password(NEW)


def test_a_wrong_old_password_is_refused_and_counted(client, district):
    client.force_login(district.dan)
    got = change(client, "guess")
    assert got.status_code == 200  # the form again, with its error
    assert AccessAttempt.objects.get(username="dan").failures_since_start == 1


def test_six_wrong_old_passwords_lock_out_the_right_one(client, district):
    client.force_login(district.dan)
    answers = [change(client, f"guess {n}").status_code for n in range(6)]
    assert answers == [200, 200, 200, 200, 429, 429]  # as the login: the fifth locks
    refused = change(client, PASSWORD)
    assert refused.status_code == 429
    assert 'data-testid="locked-out"' in refused.content.decode()
    district.dan.refresh_from_db()
    assert district.dan.check_password(PASSWORD) and not district.dan.check_password(NEW)
    # The login from that address is locked too: one count, one lock.
    client.logout()
    login = client.post(reverse("login"), {"username": "dan", "password": PASSWORD})
    assert login.status_code == 429


def test_the_admin_s_password_change_goes_through_the_same_lockout(client, district):
    # Django's admin has its own password change, which checked the old password directly:
    # eight wrong guesses there, then the right one changed it (review, session 20).
    ada = district.ada
    ada.is_staff = True
    ada.save()
    client.force_login(ada)
    url = reverse("admin:password_change")
    opened = client.get(url)
    assert (opened.status_code, opened["Location"]) == (302, reverse("password_change"))
    form = {"new_password1": NEW, "new_password2": NEW}
    for n in range(8):
        assert client.post(url, {"old_password": f"guess {n}", **form}).status_code == 302
    assert client.post(url, {"old_password": PASSWORD, **form}).status_code == 302
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD) and not ada.check_password(NEW)


def test_the_right_old_password_clears_the_earlier_failures_as_a_login_does(client, district):
    # Attacker's leftover of session 20: the right old password left the wrong ones counted,
    # so Dan, who mistyped it four times and then changed it, was locked out by his next typo
    # (a login's success clears them: AXES_RESET_ON_SUCCESS).
    client.force_login(district.dan)
    assert [change(client, f"guess {n}").status_code for n in range(4)] == [200] * 4
    assert change(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="dan", failures_since_start__gt=0).exists()
    again = client.post(
        reverse("password_change"),
        {"old_password": "typo", "new_password1": NEW + "!", "new_password2": NEW + "!"},
    )
    assert again.status_code == 200
    assert AccessAttempt.objects.get(username="dan").failures_since_start == 1
