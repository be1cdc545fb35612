"""Work queues for each role: the dispatch desk, the unit inbox, the callback desk, supervision.

Every desk is a set of tabs; a tab is a queryset and the deadline that matters for it. One view
renders them all (the table alone for HTMX requests, the whole page otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotline import clock
from hotline.orders.models import AT_UNIT_STATES, Satisfaction, State, WorkOrder
from hotline.orders.rules import unit_scope, visible_orders
from hotline.org.models import Role, User
from hotline.web.orders import ORDER_ROW_RELATED

Query = Callable[[User, dt.datetime], QuerySet[WorkOrder]]


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    query: Query
    due_field: str | None  # the deadline shown (and sorted by) in this queue


@dataclass(frozen=True)
class Desk:
    name: str
    title: str | Promise
    roles: tuple[str, ...]
    tabs: tuple[Tab, ...]


def _all(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    return visible_orders(user)


def _unit(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    return WorkOrder.objects.filter(lead_unit__in=unit_scope(user))


DESKS = {
    desk.name: desk
    for desk in [
        Desk(
            "dispatch_desk",
            _("Dispatch desk"),
            (Role.DISPATCHER,),
            (
                Tab("new", _("New"), lambda u, n: _all(u, n).filter(state=State.REGISTERED), None),
                Tab(
                    "returned",
                    _("Returns to decide"),
                    lambda u, n: _all(u, n).filter(state=State.RETURNED),
                    "return_due",
                ),
                Tab(
                    "extensions",
                    _("Extension requests"),
                    lambda u, n: _all(u, n).filter(
                        state__in=AT_UNIT_STATES, extension_days__isnull=False
                    ),
                    "reply_due",
                ),
                Tab(
                    "review",
                    _("Replies to review"),
                    lambda u, n: _all(u, n).filter(state=State.REPLIED),
                    None,
                ),
            ),
        ),
        Desk(
            "unit_inbox",
            _("Unit inbox"),
            (Role.UNIT_HANDLER,),
            (
                Tab(
                    "to_accept",
                    _("To sign for"),
                    lambda u, n: _unit(u, n).filter(state=State.DISPATCHED),
                    "accept_due",
                ),
                Tab(
                    "handling",
                    _("Handling"),
                    lambda u, n: _unit(u, n).filter(state__in=[State.ACCEPTED, State.REOPENED]),
                    "reply_due",
                ),
                Tab(
                    "waiting",
                    _("Waiting for the centre"),
                    lambda u, n: _unit(u, n).filter(state__in=[State.RETURNED, State.REPLIED]),
                    None,
                ),
                Tab(
                    "done",
                    _("Done (30 days)"),
                    lambda u, n: _unit(u, n).filter(
                        state__in=[State.REVIEWED, State.CLOSED],
                        replied_at__gte=n - dt.timedelta(days=30),
                    ),
                    None,
                ),
            ),
        ),
        Desk(
            "callback_desk",
            _("Callback desk"),
            (Role.CALLBACK_AGENT,),
            (
                Tab(
                    "due",
                    _("To call back"),
                    lambda u, n: _all(u, n).filter(state=State.REVIEWED, satisfaction=""),
                    "callback_due",
                ),
            ),
        ),
        Desk(
            "supervision_desk",
            _("Supervision"),
            (Role.SUPERVISOR, Role.DISPATCHER, Role.LEADER),
            (
                Tab(
                    "near",
                    _("Due within a day"),
                    lambda u, n: _all(u, n).filter(
                        state__in=AT_UNIT_STATES,
                        overdue=False,
                        reply_due__lte=n + dt.timedelta(days=1),
                    ),
                    "reply_due",
                ),
                Tab(
                    "overdue",
                    _("Overdue"),
                    lambda u, n: _all(u, n).filter(state__in=AT_UNIT_STATES, overdue=True),
                    "reply_due",
                ),
                Tab(
                    "supervised",
                    _("Under supervision"),
                    lambda u, n: _all(u, n).filter(
                        state__in=AT_UNIT_STATES, supervision_due__gte=n
                    ),
                    "supervision_due",
                ),
                Tab(
                    "dissatisfied",
                    _("Dissatisfied: reopen or close"),
                    lambda u, n: _all(u, n).filter(
                        state=State.REVIEWED, satisfaction=Satisfaction.DISSATISFIED
                    ),
                    None,
                ),
            ),
        ),
    ]
}


def desk_view(name: str) -> Callable[[HttpRequest], HttpResponse]:
    desk = DESKS[name]

    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        if not user.has_role(*desk.roles):
            raise PermissionDenied
        now = clock.now()
        tabs = [(tab, tab.query(user, now)) for tab in desk.tabs]
        current = next((t for t in tabs if t[0].key == request.GET.get("tab")), tabs[0])
        tab, queryset = current
        order_by = [tab.due_field, "registered_at"] if tab.due_field else ["registered_at"]
        queryset = queryset.select_related(*ORDER_ROW_RELATED).order_by(*order_by)
        page = Paginator(queryset, 30).get_page(request.GET.get("page"))
        context: dict[str, Any] = {
            "desk": desk,
            "tabs": [(t, qs.count()) for t, qs in tabs],
            "tab": tab,
            "page": page,
            "due_field": tab.due_field,
        }
        template = "web/_desk_table.html" if request.htmx else "web/desk.html"  # type: ignore[attr-defined]
        return render(request, template, context)

    view.__name__ = name
    return view


dispatch_desk = desk_view("dispatch_desk")
unit_inbox = desk_view("unit_inbox")
callback_desk = desk_view("callback_desk")
supervision_desk = desk_view("supervision_desk")
