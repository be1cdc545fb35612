"""Bearer-token authentication for the JSON API (tokens from ``hotline token create``).

Every API call starts by finding its token, its user and the user's roles: two queries that
cost about a fifth of an order's registration (bench/load.py). Each process therefore remembers
a token's user for ``API_TOKEN_CACHE_SECONDS`` (default 5; 0 turns it off). A token revoked,
a user deactivated or a role changed in this process is forgotten at once (the signals below);
another process notices within those seconds, which docs/deploy.md states.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from hotline import clock
from hotline.org.models import ApiToken, User, UserRole, hash_token

#: A bound on the remembered tokens; past it all are dropped and remembered afresh.
MAX_REMEMBERED = 1000

#: token hash -> (monotonic deadline, user, the token's expiry, its scopes)
_remembered: dict[str, tuple[float, User, dt.datetime | None, frozenset[str]]] = {}

#: The scope a call on the JSON API needs, by its method: reading, or acting.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop every remembered token (a token, user or role changed)."""
    with _lock:
        _remembered.clear()


def token_user(raw: str) -> User | None:
    """The active user of an unrevoked, unexpired token, with its roles read; ``None``
    otherwise."""
    found = token_user_and_scopes(raw)
    return found[0] if found else None


def token_user_and_scopes(raw: str) -> tuple[User, frozenset[str]] | None:
    """:func:`token_user`, with the token's scopes."""
    ttl = settings.API_TOKEN_CACHE_SECONDS
    key = hash_token(raw)
    now = time.monotonic()
    if ttl:
        with _lock:
            hit = _remembered.get(key)
        if hit is not None and hit[0] > now:
            expires_at = hit[2]
            if expires_at is not None and expires_at <= clock.now():
                return None  # remembered, but expired since
            # A copy per request: the cached user is shared by the process's threads.
            return copy.copy(hit[1]), hit[3]
    found = ApiToken.objects.authenticate_hash(key)
    if found is None:
        return None
    user = found.user
    user.roles  # noqa: B018 - read once here, kept with the cached user
    scopes = found.scope_set
    if ttl:
        with _lock:
            if len(_remembered) >= MAX_REMEMBERED:  # a few tokens per integration: rare
                _remembered.clear()
            _remembered[key] = (now + ttl, user, found.expires_at, scopes)
        return copy.copy(user), scopes
    return user, scopes


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; ``request.auth`` becomes the token's user.

    Revoked and expired tokens and inactive users are refused here (401), and a token without
    the scope the call needs (403): ``api:read`` for GET, ``api:write`` for the rest, so a
    partner's Open311-only key reads nothing here. What the user may see or do is decided per
    order by :mod:`hotline.orders.rules`. Header-only authentication is why the API needs no
    CSRF token: a browser never sends this header on its own.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        found = token_user_and_scopes(token) if token else None
        if found is None:
            return None
        user, scopes = found
        needed = ApiToken.API_READ if request.method in READ_METHODS else ApiToken.API_WRITE
        if needed not in scopes:
            raise HttpError(
                403,
                _("This token may not be used for this: it lacks the %(scope)s scope.")
                % {"scope": needed},
            )
        # The views read it: an action's answer holds the whole order only for api:read.
        request.token_scopes = frozenset(scopes)  # type: ignore[attr-defined]
        return user


def reads_orders(request: HttpRequest) -> bool:
    """Whether the caller's token may read orders (``api:read``): a write-only token's answers
    carry no more of an order than its number, state and version."""
    return ApiToken.API_READ in getattr(request, "token_scopes", ())


@receiver(post_save, sender=ApiToken)
@receiver(post_delete, sender=ApiToken)
@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
@receiver(post_save, sender=UserRole)
@receiver(post_delete, sender=UserRole)
def _forget_on_change(**_kwargs: object) -> None:
    forget_tokens()
