"""The top navigation: each role sees its own desks, with the work waiting at each as a badge."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from hotline.hall.models import Hall
from hotline.org.models import Role, User
from hotline.web.desks import DESKS

#: Who reads the knowledge base: the centre's staff and the units (not the service hall).
CENTRE_STAFF = (
    Role.OPERATOR,
    Role.DISPATCHER,
    Role.CALLBACK_AGENT,
    Role.SUPERVISOR,
    Role.LEADER,
    Role.ADMIN,
)

NAV = [
    ("intake", _("Intake"), (Role.OPERATOR, Role.DISPATCHER)),
    ("dispatch_desk", _("Dispatch desk"), (Role.DISPATCHER,)),
    ("unit_inbox", _("Unit inbox"), (Role.UNIT_HANDLER, Role.HALL_MANAGER)),
    ("callback_desk", _("Callback desk"), (Role.CALLBACK_AGENT,)),
    ("supervision_desk", _("Supervision"), (Role.SUPERVISOR, Role.DISPATCHER, Role.LEADER)),
    ("order_list", _("Orders"), tuple(Role.values)),
    ("dashboard", _("Dashboard"), (Role.LEADER, Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN)),
    ("sample_draws", _("Sampling review"), (Role.SUPERVISOR, Role.LEADER)),
    ("appeal_queue", _("Appeals"), (Role.SUPERVISOR, Role.UNIT_HANDLER)),
    # How units are assessed: for the units themselves (the dashboard's roles reach it there).
    ("unit_kpis", _("Our unit's assessment"), (Role.UNIT_HANDLER,)),
    ("kpi_definitions", _("KPI definitions"), (Role.UNIT_HANDLER,)),
    (
        "kb:article_list",
        _("Knowledge base"),
        (*CENTRE_STAFF, Role.UNIT_HANDLER, Role.KNOWLEDGE_REVIEWER),
    ),
    # A hall's live board and window desk: to the person's own hall (the one of their unit),
    # and not at all without one (walk-through, session 28, F11: the manager's "window desk"
    # led to the live board, which no item named, and a clerk without a hall got a 403).
    ("hall:manage", _("Live board"), (Role.HALL_MANAGER,)),
    ("hall:desk", _("Window desk"), (Role.HALL_CLERK, Role.HALL_MANAGER)),
    ("cases:list", _("Cases"), (Role.HALL_CLERK, Role.HALL_MANAGER)),
    ("prereview:queue", _("Pre-reviews"), (Role.HALL_CLERK, Role.HALL_MANAGER)),
    ("ratings:cannot_do", _("Could not get it done"), (Role.HALL_CLERK, Role.HALL_MANAGER)),
    ("ratings:my_hall", _("Service ratings"), (Role.HALL_MANAGER,)),
    (
        "assistance:list",
        _("Assisted and proxy handling"),
        (Role.HALL_CLERK, Role.HALL_MANAGER, Role.LEADER),
    ),
    ("ratings:appeals", _("Rating appeals"), (Role.SUPERVISOR,)),
]


#: The links that take the person's own hall's code.
PER_HALL = {"hall:manage", "hall:desk"}


def _own_hall(user: User) -> str | None:
    """The code of the hall the hall staff ``user`` works in (their unit's), if any."""
    if not user.unit_id or not user.has_role(Role.HALL_CLERK, Role.HALL_MANAGER):
        return None
    return (
        Hall.objects.filter(unit_id=user.unit_id)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def nav_links(request: HttpRequest) -> dict[str, Any]:
    """The context processor: the links are worked out only when a template shows them (the
    full pages' top bar), not for every fragment a desk polls (the own hall is a query)."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_links": []}
    assert isinstance(user, User)
    links = SimpleLazyObject(lambda: _links(request, user))
    return {
        "nav_links": links,
        "nav_badges": SimpleLazyObject(lambda: any(link["badge_id"] for link in links)),
    }


def _links(request: HttpRequest, user: User) -> list[dict[str, Any]]:
    match = request.resolver_match
    current = {match.url_name, match.view_name} if match else set()
    hall = _own_hall(user)
    # Desk links get an empty badge; the page asks for the counts after it loads (desk_badges),
    # so no page pays for them and every page shows the same numbers.
    links = [
        {
            "url": reverse(name, args=[hall]) if name in PER_HALL else reverse(name),
            "label": label,
            # A hall's link is current on its own hall's page only.
            "active": name in current
            and (name not in PER_HALL or (match is not None and match.kwargs.get("code") == hall)),
            "badge_id": f"badge-{name}" if name in DESKS else "",
        }
        for name, label, roles in NAV
        if user.has_role(*roles) and (name not in PER_HALL or hall is not None)
    ]
    if admin.site.has_permission(request):  # not to a former administrator (hotline/urls.py)
        links.append(
            {"url": "/admin/", "label": _("Administration"), "active": False, "badge_id": ""}
        )
    return links
