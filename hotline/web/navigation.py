"""The top navigation: each role sees its own desks, with the work waiting at each as a badge."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hotline.org.models import Role
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
    ("hall:my_desk", _("Window desk"), (Role.HALL_CLERK, Role.HALL_MANAGER)),
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


def nav_links(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_links": []}
    current = request.resolver_match.url_name if request.resolver_match else ""
    # Desk links get an empty badge; the page asks for the counts after it loads (desk_badges),
    # so no page pays for them and every page shows the same numbers.
    links = [
        {
            "url": reverse(name),
            "label": label,
            "active": name == current,
            "badge_id": f"badge-{name}" if name in DESKS else "",
        }
        for name, label, roles in NAV
        if user.has_role(*roles)
    ]
    if admin.site.has_permission(request):  # not to a former administrator (hotline/urls.py)
        links.append(
            {"url": "/admin/", "label": _("Administration"), "active": False, "badge_id": ""}
        )
    return {"nav_links": links, "nav_badges": any(link["badge_id"] for link in links)}
