"""``/accounts/``: log in, log out, change one's password — and reset a forgotten one only where
the deployment says so.

A reset link is as good as the password. With Django's default console e-mail backend it lands in
the server's log, and anyone could ask for one for any address, as often as they liked (the
outside review took over an account that way). So password reset is off unless
``PASSWORD_RESET`` is on, which settings allow only with a real e-mail backend; the pages then
answer 404 as if they did not exist. When on, asking for a link is limited per client address
(``PASSWORD_RESETS_PER_IP_HOUR``) and per e-mail address (a few a day), and refused to a client
the login lockout has shut out. The per-address limit's key is the address as Django compares it
(NFKC, case-folded), so ``ſus@`` and ``sus@`` count as one. A link works for an hour
(``PASSWORD_RESET_TIMEOUT``).

An account that can open the admin site (a superuser, a staff member, a holder of the 管理员 role)
is never reset by e-mail: a mailbox taken over must not become the admin site taken over. Another
administrator sets its password in the admin (or ``hotline changepassword`` on the server); the page
answers as it does for an unknown address, and the ask is recorded on the account. Every link
mailed, every refused ask and every password set with a link is recorded in the admin's log
(``LogEntry``, the account's history page) and logged, without the e-mail address (review,
session 24).

Changing one's password asks for the old one: that check is a login, so it goes through the
lockout too (:class:`PasswordChangeView`).
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.crypto import salted_hmac

from hotline import clock
from hotline.org.models import Role, User
from hotline.portal import limits
from hotline.security.client import counted_address
from hotline.security.lockout import address_locked

logger = logging.getLogger(__name__)

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
    """The per-address limit's key: the address as Django's reset form compares it with the
    users' (``email__iexact``, then NFKC and case-folded), so every spelling that reaches one
    user counts under one key. ``lower()`` kept ``ſ`` (long s, which PostgreSQL's ``UPPER``
    makes ``S``) apart: ``sus@``, ``ſus@``, ``suſ@`` and ``ſuſ@`` reached one user under four
    keys, 3 links a day each (review, session 24). The hit table never holds the address in
    clear."""
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return salted_hmac("hotline.password-reset", folded).hexdigest()[:32]


def reset_by_email_refused(user: User) -> bool:
    """Whether this account's password is never reset by e-mail: it can open the admin site (a
    superuser, a staff member) or holds the 管理员 role. Another administrator sets it."""
    return user.is_superuser or user.is_staff or user.has_role(Role.ADMIN)


def record(user: User, request: HttpRequest, message: str) -> None:
    """One line in the admin's log on ``user``'s account (its history page), and in the server's
    log: what happened to its password and from which client address. No e-mail address. The
    log's "user" is the account itself: nobody is logged in when a link is asked for or used.
    The words are the audit's, stored as they are, in English."""
    address = counted_address(request)
    text = f"{message} (client address {address})"
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(user, for_concrete_model=False),
        object_id=str(user.pk),
        object_repr=str(user)[:200],
        action_flag=CHANGE,
        change_message=text,
    )
    logger.warning("password reset: user %s: %s", user.get_username(), text)


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


class RecordedPasswordResetForm(PasswordResetForm):
    """Django's form, which mails no link to an account :func:`reset_by_email_refused` and
    records each link mailed and each ask refused (:func:`record`)."""

    #: The request asking, set by :class:`PasswordResetView` before the form mails anything.
    request: HttpRequest | None = None

    def get_users(self, email: str) -> Iterator[Any]:
        found = False
        for user in super().get_users(email):
            found = True
            if reset_by_email_refused(user):
                if self.request is not None:
                    record(
                        user,
                        self.request,
                        "Password reset by e-mail asked for and refused: an administrator's "
                        "password is set by another administrator",
                    )
                continue
            yield user
        if not found:
            logger.info("password reset: asked for an address no active user has")

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        super().send_mail(*args, **kwargs)
        user = args[2].get("user") if len(args) > 2 else kwargs["context"].get("user")
        if user is not None and self.request is not None:
            record(user, self.request, "Password reset link e-mailed")


class PasswordResetView(_ResetEnabled, auth_views.PasswordResetView):
    """Asking for a link: throttled and behind the lockout before any e-mail goes out. The link
    is built on ``PUBLIC_URL`` when it is set (as texted links are, :mod:`hotline.security.
    public_url`): on the request's ``Host``, a second name the server answers to, or a forged
    header past a proxy, mailed the reset token to that host (review, session 23)."""

    form_class = RecordedPasswordResetForm

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

    def form_valid(self, form: Any) -> HttpResponse:
        form.request = self.request
        return super().form_valid(form)

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
    """Setting the password with a mailed link: refused (the page for a link that does not
    work) to an account :func:`reset_by_email_refused`, whose link was mailed before it could
    open the admin site; the password set is recorded (:func:`record`)."""

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        if user is not None and reset_by_email_refused(user):
            return None
        return user

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(form.user, self.request, "Password set with an e-mailed reset link")
        return response


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
