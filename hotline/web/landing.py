"""What each role sees first after logging in.

The staff UI issue turns each section into a working desk; until then the landing page names the
work waiting for each of the user's roles, so every demo login lands somewhere meaningful.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotline.org.models import Role, User


@dataclass(frozen=True)
class Section:
    role: str
    title: str | Promise
    summary: str | Promise
    links: tuple[tuple[str | Promise, str], ...] = ()


_SECTIONS: dict[str, Section] = {
    Role.OPERATOR: Section(
        Role.OPERATOR,
        _("Intake"),
        _("Register calls as work orders, answer consultations directly."),
    ),
    Role.DISPATCHER: Section(
        Role.DISPATCHER,
        _("Dispatch desk"),
        _("Dispatch new orders, decide returns and extensions, review replies."),
    ),
    Role.UNIT_HANDLER: Section(
        Role.UNIT_HANDLER,
        _("Unit inbox"),
        _("Sign for your unit's orders, contact the citizen first, handle and reply."),
    ),
    Role.CALLBACK_AGENT: Section(
        Role.CALLBACK_AGENT,
        _("Callback desk"),
        _("Call citizens back and record whether they are resolved and satisfied."),
    ),
    Role.SUPERVISOR: Section(
        Role.SUPERVISOR,
        _("Supervision"),
        _("Urge and supervise overdue orders, draw samples for review, decide appeals."),
    ),
    Role.LEADER: Section(
        Role.LEADER,
        _("Dashboard"),
        _("Volumes, rankings and the three key indicators for every unit."),
    ),
    Role.ADMIN: Section(
        Role.ADMIN,
        _("Administration"),
        _("Units, categories, deadline policies, calendar and users."),
        ((_("Open the administration site"), "/admin/"),),
    ),
}


def landing_sections(user: User) -> list[Section]:
    return [_SECTIONS[role] for role in Role.values if role in user.roles]
