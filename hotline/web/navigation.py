"""The top navigation: each role sees its own desks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hotline.org.models import Role

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
    ("unit_inbox", _("Unit inbox"), (Role.UNIT_HANDLER,)),
    ("callback_desk", _("Callback desk"), (Role.CALLBACK_AGENT,)),
    ("supervision_desk", _("Supervision"), (Role.SUPERVISOR, Role.DISPATCHER, Role.LEADER)),
    ("order_list", _("Orders"), tuple(Role.values)),
    ("dashboard", _("Dashboard"), (Role.LEADER, Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN)),
    ("sample_draws", _("Sampling review"), (Role.SUPERVISOR, Role.LEADER)),
    ("appeal_queue", _("Appeals"), (Role.SUPERVISOR, Role.UNIT_HANDLER)),
    (
        "kb:article_list",
        _("Knowledge base"),
        (*CENTRE_STAFF, Role.UNIT_HANDLER, Role.KNOWLEDGE_REVIEWER),
    ),
    ("hall:my_desk", _("Window desk"), (Role.HALL_CLERK, Role.HALL_MANAGER)),
]


def nav_links(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_links": []}
    current = request.resolver_match.url_name if request.resolver_match else ""
    links = [
        {"url": reverse(name), "label": label, "active": name == current}
        for name, label, roles in NAV
        if user.has_role(*roles)
    ]
    if user.is_staff:
        links.append({"url": "/admin/", "label": _("Administration"), "active": False})
    return {"nav_links": links}
