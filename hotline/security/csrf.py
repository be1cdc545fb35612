"""A form whose CSRF token no longer holds is answered with the site's own page (attack, session
27, h6 F3).

The token changes when the person signs in again — in another tab, after the session ended — so a
page opened before then sends a token that is refused. Django's own answer was its bare
"CSRF verification failed" page, unstyled under the Content-Security-Policy and telling a
citizen or a clerk to set ``DEBUG=True``; htmx swapped that whole document into the part of the
page being updated (the order panel). A plain form gets the branded page saying what happened and
what to do; htmx gets that sentence alone, to show in place. The refusal is logged by Django as
before ("Forbidden (CSRF token …): /path")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hotline.web.htmx import from_htmx


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: 403, the page had expired (``reason`` is Django's, for the log)."""
    template = "_csrf_expired.html" if from_htmx(request) else "403_csrf.html"
    return render(request, template, status=403)
