"""Reading and registering orders: ``/api/v1/orders``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from hotline.api import idempotency
from hotline.api.auth import reads_orders
from hotline.api.bodies import OrderFilters, RegisterIn
from hotline.api.present import event_out, order_out, orders_for, visible_order
from hotline.api.refs import category_by_code, unit_by_code
from hotline.api.schemas import (
    READ_ERRORS,
    AllowedActionsOut,
    ErrorOut,
    EventOut,
    OrderOut,
    OrderPage,
    RegisteredOut,
    SuggestionsOut,
    kebab,
)
from hotline.dispatch import services
from hotline.orders import actions
from hotline.orders.actions.intake import after_registration
from hotline.orders.models import WorkOrder
from hotline.orders.rules import NotAllowed, allowed_actions, sees_full_phone
from hotline.org.models import Category, Unit, User
from hotline.security.models import Where
from hotline.security.phone_numbers import normalise_phone
from hotline.security.phones import record_views

router = Router(tags=["orders"])
log = logging.getLogger(__name__)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, timezone.get_current_timezone())


def _filter(qs: QuerySet[WorkOrder], f: OrderFilters, *, full_phone: bool) -> QuerySet[WorkOrder]:
    if f.state:
        qs = qs.filter(state__in=f.state)
    if f.lead_unit:
        qs = qs.filter(lead_unit__code=f.lead_unit)
    if f.category:
        # Categories are three levels deep: a parent's code finds its subcategories' orders.
        qs = qs.filter(
            Q(category__code=f.category)
            | Q(category__parent__code=f.category)
            | Q(category__parent__parent__code=f.category)
        )
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.overdue is not None:
        qs = qs.filter(overdue=f.overdue)
    if f.q and f.q.strip():
        text = f.q.strip()
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(address__icontains=text)
        )
    if f.registered_from:
        qs = qs.filter(registered_at__gte=_local_midnight(f.registered_from))
    if f.registered_to:
        qs = qs.filter(registered_at__lt=_local_midnight(f.registered_to + dt.timedelta(days=1)))
    if f.phone and f.phone.strip():
        # Searching by phone would let a unit user test numbers they are only shown masked.
        if not full_phone:
            raise NotAllowed(_("Only hotline-centre staff may search by phone."), field="phone")
        qs = qs.filter(citizen_phone=normalise_phone(f.phone))
    return qs


@router.get(
    "",
    response={200: OrderPage, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    operation_id="list_orders",
)
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> dict[str, Any]:
    """The orders you may see, newest first, filtered and paged."""
    user = request.auth  # type: ignore[attr-defined]
    qs = _filter(orders_for(user), filters, full_phone=sees_full_phone(user))
    page = list(qs[filters.offset : filters.offset + filters.limit])
    record_views(user, page, Where.API_LIST, request)
    return {"count": qs.count(), "items": [order_out(o, user) for o in page]}


@router.post(
    "",
    response={
        201: RegisteredOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    operation_id="register",
)
def register(
    request: HttpRequest,
    payload: RegisterIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None,
        alias=idempotency.HEADER,
        description="Retry safely: the same key (yours, within 24 h) returns the first "
        "registration's order instead of a second one; with another body it is a 409.",
    ),
) -> Status[dict[str, Any]]:
    """受理: register a new order (operators and dispatchers).

    Answers the order as registered (after automatic dispatch, if any). A token without the
    api:read scope gets only its number, state and version (OrderVersionOut), also when the
    same Idempotency-Key is sent again."""
    user = request.auth  # type: ignore[attr-defined]
    key = idempotency.checked_key(idempotency_key)
    street = unit_by_code(payload.street, "street")
    community = unit_by_code(payload.community, "community")
    category = category_by_code(payload.category, "category")
    # The order, the record that its caller's number is shown back in the answer and the
    # idempotency key commit together: one transaction per registration, opened by the action
    # itself so that the day's number is drawn before it (intake is the hot path,
    # docs/benchmarks.md).
    order, fresh = idempotency.register_once(
        user,
        key,
        idempotency.fingerprint("api.register", payload.model_dump(mode="json")),
        lambda store: _register(request, user, payload, street, community, category, store),
    )
    reads = reads_orders(request)
    if not fresh:
        response[idempotency.REPLAYED_HEADER] = "true"
        if not reads:
            # What the first answer said, not the order as it is now: to a write-only token
            # that was a way to follow its orders' state, lead unit and reply for 24 h (attack,
            # session 23), and then their state and version (brief, session 24).
            return Status(201, idempotency.as_first_answered(order))
        shown = visible_order(user, order.number)
        record_views(user, [shown], Where.API_REGISTER, request)
        return Status(201, order_out(shown, user))
    # A new order has no co-units: tell the presenter so, rather than asking the database.
    order._prefetched_objects_cache = {"co_units": Unit.objects.none()}  # type: ignore[attr-defined]
    # Committed: from here on nothing may turn the registration into an error.
    prediction = after_registration(order)
    if not reads:
        return Status(201, _version(order))
    # The order as registered is in memory with the units, category and user it was given; read
    # it again only when automatic dispatch changed it.
    shown = order
    if prediction is not None and prediction.auto_dispatched:
        try:
            shown = visible_order(user, order.number)
        except DatabaseError:
            log.warning("order %s: answered as registered, not as dispatched", order.number)
    return Status(201, order_out(shown, user))


def _version(order: WorkOrder) -> dict[str, Any]:
    return dict(WorkOrder.objects.values("number", "state", "version").get(pk=order.pk))


def _register(
    request: HttpRequest,
    user: User,
    payload: RegisterIn,
    street: Unit | None,
    community: Unit | None,
    category: Category | None,
    store: Callable[[WorkOrder], object],
) -> WorkOrder:
    def within(new: WorkOrder) -> None:
        if reads_orders(request):  # a write-only token is shown no phone: nothing viewed
            record_views(user, [new], Where.API_REGISTER, request)
        store(new)

    return actions.register(
        user,
        title=payload.title,
        description=payload.description,
        channel=payload.channel,
        citizen_name=payload.citizen_name,
        citizen_phone=payload.citizen_phone,
        citizen_email=payload.citizen_email,
        anonymous=payload.anonymous,
        address=payload.address,
        street=street,
        community=community,
        latitude=payload.latitude,
        longitude=payload.longitude,
        category=category,
        urgency=payload.urgency,
        kind=payload.kind,
        within=within,
    )


@router.get("/{number}", response={200: OrderOut, **READ_ERRORS}, operation_id="get_order")
def get_order(request: HttpRequest, number: str) -> dict[str, Any]:
    """One order; 404 also when it exists but is not yours to see."""
    user = request.auth  # type: ignore[attr-defined]
    order = visible_order(user, number)
    record_views(user, [order], Where.API_ORDER, request)
    return order_out(order, user)


@router.get(
    "/{number}/events", response={200: list[EventOut], **READ_ERRORS}, operation_id="list_events"
)
def list_events(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """The order's timeline, oldest first."""
    order = visible_order(request.auth, number)  # type: ignore[attr-defined]
    events = order.events.select_related("actor", "actor_unit", "unit").order_by("seq")
    return [event_out(e) for e in events]


@router.get(
    "/{number}/actions",
    response={200: AllowedActionsOut, **READ_ERRORS},
    operation_id="list_allowed_actions",
)
def list_allowed_actions(request: HttpRequest, number: str) -> dict[str, Any]:
    """The actions you may take on this order now (their input is still checked)."""
    user = request.auth  # type: ignore[attr-defined]
    order = visible_order(user, number)
    return {
        "number": order.number,
        "state": order.state,
        "version": order.version,
        "actions": [kebab(a) for a in allowed_actions(order, user)],
    }


@router.get(
    "/{number}/suggestions",
    response={200: SuggestionsOut, **READ_ERRORS},
    operation_id="list_dispatch_suggestions",
)
def list_suggestions(request: HttpRequest, number: str) -> dict[str, Any]:
    """Units to dispatch the order to: rules first (category, address), then the active model's
    top 3 with probabilities (``why`` = ``model``); ``model_version`` is empty without a model."""
    order = visible_order(request.auth, number)  # type: ignore[attr-defined]
    return {
        "number": order.number,
        "model_version": services.active_version() or "",
        "items": [
            {
                "unit": s["unit"].code,
                "unit_name": s["unit"].name,
                "why": s["source"],
                "probability": s["probability"],
            }
            for s in services.suggest(order)
        ],
    }
