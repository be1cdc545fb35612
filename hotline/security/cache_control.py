"""``Cache-Control: private, no-store`` on every response that may hold someone's data.

Staff pages show citizens' names, full phone numbers and addresses; the citizen's own links (the
pre-review's status link, a ticket's "my place", a booking, a rating link, the portal's tracking
and submission pages) show theirs. Without a header a browser keeps such pages on disk and a
shared proxy may keep them too: on a shared desk the next person could find them again. So this
answers ``private, no-store`` to:

- every request of a signed-in user, and every request with an ``Authorization`` header (the
  API's tokens);
- every other request, except the public pages that hold nothing personal and may well be
  cached: the portal's home, statistics and knowledge base, a hall's board and window display,
  the open data, Open311, the health check. A new private link is covered without being listed.

Static files never reach it (WhiteNoise answers them further out). A response that already says
``no-store`` (Django's ``never_cache``, e.g. the login page) is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Paths an anonymous visitor may be answered with a cacheable page: nothing personal on them.
PUBLIC = re.compile(
    r"""^/(?:
        portal/(?:|statistics/|kb/.*)
        |hall/[^/]+/board/(?:window/\d+/)?
        |api/v1/open/.*
        |api/v1/(?:openapi\.json|docs)
        |open311/.*
        |healthz
        |favicon\.ico
    )$""",
    re.VERBOSE,
)


def is_private(request: HttpRequest) -> bool:
    """Whether the answer to ``request`` must not be kept by a browser or a proxy."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    return not PUBLIC.match(request.path_info)


class PrivateCacheControlMiddleware:
    """After the authentication middleware (it reads ``request.user``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request) and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response
