"""The window desk's case panel: the case the current ticket's service opened or linked."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Q

from hotline.cases.actions.opening import LINKABLE
from hotline.cases.models import Case, CaseAction

register = template.Library()


@register.inclusion_tag("cases/_desk_panel.html")
def case_panel(ticket: Any) -> dict[str, Any]:
    """The cases this ticket's visit counts on, with the rest of their application (a bundle's
    cases accepted meanwhile: the visit is no trip of theirs, the clerk still sees them)."""
    if ticket is None or not getattr(ticket, "pk", None):
        return {"cases": []}
    visited = Case.objects.filter(events__ticket=ticket, events__action=CaseAction.VISIT)
    cases = list(
        Case.objects.filter(
            Q(pk__in=visited.values("pk"))
            | Q(submission__in=visited.values("submission"), state__in=LINKABLE)
        )
        .select_related("matter")
        .order_by("pk")
    )
    return {"cases": cases}
