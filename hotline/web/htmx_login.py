"""An htmx request whose session has ended sends the whole page to the login page.

``login_required`` answers such a request with a redirect to the login page; the browser's
XMLHttpRequest follows it and htmx swapped the login page into the part of the page being
updated (the desk's news line, the order panel): a second header and login form under a header
still naming the person, with the request's own URL as ``next`` (an action's URL, which cannot
be opened). The redirect becomes htmx's ``HX-Redirect`` to the login page, with the page the
person was on as ``next``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRedirectMiddleware:
    """After django-htmx's middleware, which sets ``request.htmx``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if not htmx or response.status_code != 302:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login:
            return response
        page = htmx.current_url_abs_path or "/"
        return HttpResponseClientRedirect(redirect_to_login(page)["Location"])
