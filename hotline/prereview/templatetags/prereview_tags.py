"""``{% prereview_for_case case %}`` and ``{% prereview_for_ticket ticket %}``: the line on the
case page and the window desk saying the citizen's materials were pre-reviewed, so the clerk
does not ask for them again."""

from __future__ import annotations

from typing import Any

from django import template

from hotline.cases.models import Case
from hotline.hall.models import Ticket
from hotline.prereview.actions import find_for
from hotline.prereview.models import PreReview

register = template.Library()


def _summary(review: PreReview | None) -> dict[str, Any]:
    if review is None:
        return {"review": None}
    return {
        "review": review,
        "materials": review.files.values("material_id").distinct().count(),
    }


@register.inclusion_tag("prereview/_summary.html")
def prereview_for_case(case: Case) -> dict[str, Any]:
    review = PreReview.objects.filter(case=case).select_related("matter").order_by("-pk").first()
    return _summary(review)


@register.inclusion_tag("prereview/_summary.html")
def prereview_for_ticket(ticket: Ticket) -> dict[str, Any]:
    """Before service starts the pre-review is not linked yet: found as the case will find it."""
    review = PreReview.objects.filter(ticket=ticket).select_related("matter").first()
    if review is None:
        # Only for a holder who proved the number: a kiosk's typed number shows no one's scans.
        review = find_for(ticket.hall_id, ticket.matter_id, ticket.proved_key)
    return _summary(review)
