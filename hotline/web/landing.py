"""What each role sees first after logging in.

The staff UI issue turns each section into a working desk; until then the landing page names the
work waiting for each of the user's roles, so every demo login lands somewhere meaningful.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotline.org.models import Role, User


@dataclass(frozen=True)
class Section:
    role: str
    title: str | Promise
    summary: str | Promise
    links: tuple[tuple[str | Promise, str], ...] = ()  # (label, URL name or absolute path)


_SECTIONS: dict[str, Section] = {
    Role.OPERATOR: Section(
        Role.OPERATOR,
        _("Intake"),
        _("Register calls as work orders, answer consultations directly."),
        ((_("Register an order"), "intake"),),
    ),
    Role.DISPATCHER: Section(
        Role.DISPATCHER,
        _("Dispatch desk"),
        _("Dispatch new orders, decide returns and extensions, review replies."),
        ((_("Open the dispatch desk"), "dispatch_desk"),),
    ),
    Role.UNIT_HANDLER: Section(
        Role.UNIT_HANDLER,
        _("Unit inbox"),
        _("Sign for your unit's orders, contact the citizen first, handle and reply."),
        ((_("Open the unit inbox"), "unit_inbox"),),
    ),
    Role.CALLBACK_AGENT: Section(
        Role.CALLBACK_AGENT,
        _("Callback desk"),
        _("Call citizens back and record whether they are resolved and satisfied."),
        ((_("Open the callback desk"), "callback_desk"),),
    ),
    Role.SUPERVISOR: Section(
        Role.SUPERVISOR,
        _("Supervision"),
        _("Urge and supervise overdue orders, draw samples for review, decide appeals."),
        ((_("Open supervision"), "supervision_desk"),),
    ),
    Role.LEADER: Section(
        Role.LEADER,
        _("Dashboard"),
        _("Volumes, rankings and the three key indicators for every unit."),
        ((_("Overdue orders"), "supervision_desk"), (_("All orders"), "order_list")),
    ),
    Role.KNOWLEDGE_REVIEWER: Section(
        Role.KNOWLEDGE_REVIEWER,
        _("Knowledge base"),
        _("Review the articles units submit, publish them, retire what no longer applies."),
        ((_("Open the review queue"), "kb:review_queue"), (_("Knowledge base"), "kb:article_list")),
    ),
    Role.HALL_CLERK: Section(
        Role.HALL_CLERK,
        _("Window desk"),
        _("Sign in at your window, call tickets, serve, transfer and hold."),
        ((_("Open the window desk"), "hall:my_desk"),),
    ),
    Role.HALL_MANAGER: Section(
        Role.HALL_MANAGER,
        _("Service hall"),
        _("Windows, queues and waiting times of your service centre's hall."),
        # hall:my_desk takes a manager to the live board, not to a window (session 29).
        ((_("Open the live board"), "hall:my_desk"),),
    ),
    Role.ADMIN: Section(
        Role.ADMIN,
        _("Administration"),
        _("Units, categories, deadline policies, calendar and users."),
        ((_("Open the administration site"), "/admin/"),),
    ),
}


def landing_sections(user: User) -> list[dict[str, object]]:
    return [
        {
            "role": section.role,
            "title": section.title,
            "summary": section.summary,
            "links": [
                (label, target if target.startswith("/") else reverse(target))
                for label, target in section.links
            ],
        }
        for role in Role.values
        if role in user.roles
        for section in [_SECTIONS[role]]
    ]
