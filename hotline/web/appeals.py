"""The appeal queue (申诉): orders whose unit contests a KPI outcome, waiting for a supervisor.

Decisions are taken on the order page (approve / reject appeal), through the one write path.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from hotline.assessment import kpis
from hotline.orders.models import Action, Event
from hotline.orders.rules import visible_orders
from hotline.org.models import Role, User

APPEAL_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.DISPATCHER, Role.ADMIN, Role.UNIT_HANDLER)


@login_required
def appeal_queue(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_role(*APPEAL_ROLES):
        raise PermissionDenied(_("Appeals are for supervisors and handling units."))
    orders = visible_orders(user)
    pending = list(
        orders.exclude(appeal_pending="").select_related("lead_unit").order_by("updated_at")
    )
    appeals = {
        e.order_id: e
        for e in Event.objects.filter(
            order__in=[o.pk for o in pending], action=Action.APPEAL
        ).order_by("seq")
    }
    rows = [
        {
            "order": order,
            "kpi": kpis.LABELS.get(order.appeal_pending, order.appeal_pending),
            "appeal": appeals.get(order.pk),
            "counts_against": order.appeal_pending in kpis.negative_kpis(order),
        }
        for order in pending
    ]
    decided = (
        Event.objects.filter(
            Q(action=Action.APPROVE_APPEAL) | Q(action=Action.REJECT_APPEAL),
            order__in=orders.values("pk"),
        )
        .select_related("order", "unit", "actor")
        .order_by("-at")[:30]
    )
    return render(
        request,
        "web/appeals.html",
        {
            "rows": rows,
            "decided": [
                {"event": e, "kpi": kpis.LABELS.get(e.payload.get("kpi", ""), "")} for e in decided
            ],
            "can_decide": user.has_role(Role.SUPERVISOR),
        },
    )
