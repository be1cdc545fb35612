"""Pages every staff member sees: the landing page per role, and the health check."""

from __future__ import annotations

from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from hotline import clock
from hotline.org.models import Role
from hotline.sla.calendar import calendar_warnings
from hotline.web.landing import landing_sections


def home(request: HttpRequest) -> HttpResponseBase:
    """The start page: the login form for visitors, the landing page of each role for staff."""
    if not request.user.is_authenticated:
        return LoginView.as_view(extra_context={"next": "/"})(request)
    user = request.user
    return render(
        request,
        "web/home.html",
        {
            "sections": landing_sections(user),
            "role_labels": [Role(r).label for r in sorted(user.roles)],
            # Admins must enter next year's holidays before deadlines start landing in it.
            "calendar_warnings": calendar_warnings(clock.today())
            if user.has_role(Role.ADMIN)
            else [],
        },
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Resolved per request: with hashed static names the manifest exists only after collectstatic.
    return HttpResponseRedirect(static("hotline/favicon.svg"))
