"""The window desk's case panel: the case the current ticket's service opened or linked."""

from __future__ import annotations

from typing import Any

from django import template

from hotline.cases.models import Case

register = template.Library()


@register.inclusion_tag("cases/_desk_panel.html")
def case_panel(ticket: Any) -> dict[str, Any]:
    cases = (
        list(
            Case.objects.filter(events__ticket=ticket, events__action="visit")
            .select_related("matter")
            .distinct()
            .order_by("pk")
        )
        if ticket is not None and getattr(ticket, "pk", None)
        else []
    )
    return {"cases": cases}
