"""Whether htmx sent a request: the one test every view asks.

htmx sends ``HX-Request: true`` with each request it makes; the view answers with the fragment
htmx swaps into the page, else with the whole page (a real form posted before htmx.min.js ran,
a link opened in a new tab). django-htmx's ``request.htmx`` reads the same header the same way;
six views read it by hand, most taking any value for true, one only ``true`` (session 28, h6).
"""

from __future__ import annotations

from django.http import HttpRequest


def from_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent ``request`` (``HX-Request: true``, as django-htmx reads it)."""
    return request.headers.get("HX-Request") == "true"
