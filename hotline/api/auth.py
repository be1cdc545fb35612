"""Bearer-token authentication for the JSON API (tokens from ``hotline token create``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from hotline.org.models import ApiToken, User


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; ``request.auth`` becomes the token's user.

    Only revoked tokens and inactive users are refused here; what the user may see or do is
    decided per order by :mod:`hotline.orders.rules`. Header-only authentication is why the API
    needs no CSRF token: a browser never sends this header on its own.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        found = ApiToken.objects.authenticate(token.strip())
        return found.user if found else None
