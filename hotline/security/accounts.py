"""``/accounts/``: log in, log out, change one's password — and reset a forgotten one only where
the deployment says so.

A reset link is as good as the password. With Django's default console e-mail backend it lands in
the server's log, and anyone could ask for one for any address, as often as they liked (the
outside review took over an account that way). So password reset is off unless
``PASSWORD_RESET`` is on, which settings allow only with a real e-mail backend; the pages then
answer 404 as if they did not exist. When on, asking for a link is limited per client address
(``PASSWORD_RESETS_PER_IP_HOUR``) and per e-mail address (a few a day), and refused to a client
the login lockout has shut out.

Changing one's password asks for the old one: that check is a login, so it goes through the
lockout too (:class:`PasswordChangeView`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.crypto import salted_hmac

from hotline import clock
from hotline.portal import limits
from hotline.security.client import counted_address
from hotline.security.lockout import address_locked

#: Reset links one e-mail address may be sent per day, whoever asks.
RESETS_PER_EMAIL_DAY = 3


def locked_out(address: str) -> bool:
    """Whether the login lockout currently shuts out this client address: for one username, or
    for every one (:mod:`hotline.security.lockout`)."""
    return (
        address_locked(address)
        or AccessAttempt.objects.filter(
            ip_address=address,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=clock.now() - settings.AXES_COOLOFF_TIME,
        ).exists()
    )


def _email_key(email: str) -> str:
    # The hit table never holds the address in clear.
    return salted_hmac("hotline.password-reset", email.strip().lower()).hexdigest()[:32]


class LockedOldPasswordForm(PasswordChangeForm):
    """Django's form, its old password checked as a login is: through :func:`authenticate` and
    so the lockout backend. A wrong old password counts as a failed login for that user from
    that address (django-axes' ``user_login_failed``); the fifth locks the pair out and the form
    is refused as the login is, the right old password too, until the lock lifts. Checked with
    ``check_password`` alone (Django's own form) it was an unlimited guesser of the password of
    a session left open (attack, session 20)."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        found = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if found is None or found.pk != self.user.pk:
            # A lockout (already or from this failure) marks the request: the lockout
            # middleware answers it with the login's lockout page.
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        if settings.AXES_RESET_ON_SUCCESS:
            # The right password clears the earlier failures, as a login does (django-axes
            # does it on user_logged_in, which a password check does not send): four typos and
            # a change left the next typo locking the user out (attack, session 20).
            handler = AxesProxyHandler.get_implementation()
            handler.reset_user_attempts(self.request, get_credentials(self.user.get_username()))
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = LockedOldPasswordForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class _ResetEnabled:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_RESET:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class PasswordResetView(_ResetEnabled, auth_views.PasswordResetView):
    """Asking for a link: throttled and behind the lockout before any e-mail goes out. The link
    is built on ``PUBLIC_URL`` when it is set (as texted links are, :mod:`hotline.security.
    public_url`): on the request's ``Host``, a second name the server answers to, or a forged
    header past a proxy, mailed the reset token to that host (review, session 23)."""

    def get_form_kwargs(self) -> dict[str, Any]:
        base = settings.PUBLIC_URL
        if base:
            parts = urlsplit(base)
            # The mail's context: its protocol and domain, the link's only host.
            self.extra_email_context = {
                "protocol": parts.scheme,
                "domain": parts.netloc,
                "site_name": parts.netloc,
            }
        return super().get_form_kwargs()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        address = counted_address(request)
        per_address = limits.Limit(
            "reset", "ip", settings.PASSWORD_RESETS_PER_IP_HOUR, dt.timedelta(hours=1)
        )
        per_email = limits.Limit("reset", "email", RESETS_PER_EMAIL_DAY, dt.timedelta(days=1))
        values = {"ip": address, "email": _email_key(request.POST.get("email", ""))}
        if locked_out(address) or limits.exceeded([per_address, per_email], values):
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(_ResetEnabled, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(_ResetEnabled, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(_ResetEnabled, auth_views.PasswordResetCompleteView):
    pass


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
