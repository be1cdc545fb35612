"""One endpoint per order action: ``POST /api/v1/orders/{number}/{action}``.

Each endpoint finds the order among those the caller may see (404 otherwise), refuses a stale
``version`` (409 conflict) before anything else about the order is said, asks the transition
table whether the caller may take this action now (403 wrong role or unit, 409 wrong state), reads
the codes its body names (422 when unknown), and calls the one write path in
:mod:`hotline.orders.actions`. It answers with the updated order and the new event (to a token
without ``api:read``, only the order's number, state and version).

The endpoints differ only in their body and in how its fields feed the action, so they are one
table (:data:`ENDPOINTS`) and one view built per row: a new action is a row, not another copy.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from hotline.api.auth import reads_orders
from hotline.api.bodies import (
    AppealIn,
    AssignInsideIn,
    Body,
    CallbackAttemptIn,
    CallbackIn,
    CommentIn,
    DispatchIn,
    ExtensionIn,
    FirstContactIn,
    MergeIn,
    NoteIn,
    ReasonIn,
    RedispatchIn,
    ReplyIn,
    SuperviseIn,
    TextIn,
    VersionIn,
)
from hotline.api.present import ORDER_RELATIONS, event_out, order_out, visible_order
from hotline.api.refs import order_by_number, required_unit, units_by_code
from hotline.api.schemas import ACTION_RESULT_DESCRIPTION, ORDER_ERRORS, ActionResult
from hotline.orders import actions
from hotline.orders.models import Action, Event, WorkOrder
from hotline.orders.rules import RULES, AlreadyWith, Conflict, check
from hotline.org.models import User
from hotline.security.models import Where
from hotline.security.phones import record_views

router = Router(tags=["order actions"])

RESPONSES: dict[int, Any] = {200: ActionResult, **ORDER_ERRORS}

B = TypeVar("B", bound=Body)


@dataclass(frozen=True)
class Endpoint(Generic[B]):
    """One order action on the API: its summary, its body, and the call into the write path.

    ``run`` receives the order, the caller and the body once the caller may act (codes in the body
    are read only then). An ``optional`` body may be left out: every field has a default.
    """

    action: Action
    summary: str
    body: type[B]
    run: Callable[[WorkOrder, User, B], Event]
    optional: bool = False
    description: str | None = None


# Not annotated: mypy then checks each row's lambda against its own body type.
ENDPOINTS = (
    Endpoint(
        Action.ANSWER,
        "直接答复: answer at intake and finish the order",
        TextIn,
        lambda o, u, b: actions.answer(o, u, text=b.text, expected_version=b.version),
    ),
    Endpoint(
        Action.DISPATCH,
        "派单: send to a lead unit and optional co-units",
        DispatchIn,
        lambda o, u, b: actions.dispatch(
            o,
            u,
            lead_unit=required_unit(b.lead_unit, "lead_unit"),
            co_units=units_by_code(b.co_units, "co_units"),
            note=b.note,
            expected_version=b.version,
        ),
    ),
    Endpoint(
        Action.REDISPATCH,
        "转派: send to another unit",
        RedispatchIn,
        lambda o, u, b: actions.redispatch(
            o,
            u,
            lead_unit=required_unit(b.lead_unit, "lead_unit"),
            co_units=units_by_code(b.co_units, "co_units"),
            reason=b.reason,
            expected_version=b.version,
        ),
    ),
    Endpoint(
        Action.ACCEPT,
        "签收: the lead unit signs for the order",
        VersionIn,
        lambda o, u, b: actions.accept(o, u, expected_version=b.version),
        optional=True,
    ),
    Endpoint(
        Action.RETURN,
        "退单: the unit says the order is not theirs",
        ReasonIn,
        lambda o, u, b: actions.request_return(o, u, reason=b.reason, expected_version=b.version),
    ),
    Endpoint(
        Action.APPROVE_RETURN,
        "Approve a return by sending the order to the right unit",
        DispatchIn,
        lambda o, u, b: actions.approve_return(
            o,
            u,
            lead_unit=required_unit(b.lead_unit, "lead_unit"),
            co_units=units_by_code(b.co_units, "co_units"),
            note=b.note,
            expected_version=b.version,
        ),
    ),
    Endpoint(
        Action.REJECT_RETURN,
        "Refuse a return: the unit keeps the order",
        ReasonIn,
        lambda o, u, b: actions.reject_return(o, u, reason=b.reason, expected_version=b.version),
    ),
    Endpoint(
        Action.FIRST_CONTACT,
        "先行联系: record the unit's first contact with the citizen",
        FirstContactIn,
        lambda o, u, b: actions.first_contact(
            o,
            u,
            way=b.way,
            note=b.note,
            contacted_at=b.contacted_at,
            expected_version=b.version,
        ),
    ),
    Endpoint(
        Action.REQUEST_EXTENSION,
        "延期申请: ask for more working days",
        ExtensionIn,
        lambda o, u, b: actions.request_extension(
            o, u, days=b.days, reason=b.reason, expected_version=b.version
        ),
    ),
    Endpoint(
        Action.APPROVE_EXTENSION,
        "Approve the pending extension request",
        NoteIn,
        lambda o, u, b: actions.approve_extension(o, u, note=b.note, expected_version=b.version),
        optional=True,
    ),
    Endpoint(
        Action.REJECT_EXTENSION,
        "Refuse the pending extension request",
        ReasonIn,
        lambda o, u, b: actions.reject_extension(o, u, reason=b.reason, expected_version=b.version),
    ),
    Endpoint(
        Action.REPLY,
        "办结答复: the unit's final answer",
        ReplyIn,
        lambda o, u, b: actions.reply(
            o, u, result=b.result, text=b.text, expected_version=b.version
        ),
    ),
    Endpoint(
        Action.APPROVE_REPLY,
        "审核通过: approve the unit's reply",
        NoteIn,
        lambda o, u, b: actions.approve_reply(o, u, note=b.note, expected_version=b.version),
        optional=True,
    ),
    Endpoint(
        Action.REJECT_REPLY,
        "审核退回: send the reply back to the unit",
        ReasonIn,
        lambda o, u, b: actions.reject_reply(o, u, reason=b.reason, expected_version=b.version),
    ),
    Endpoint(
        Action.CALLBACK,
        "回访: record whether the citizen is resolved and satisfied",
        CallbackIn,
        lambda o, u, b: actions.callback(
            o,
            u,
            resolved=b.resolved,
            satisfaction=b.satisfaction,
            note=b.note,
            expected_version=b.version,
        ),
    ),
    Endpoint(
        Action.CALLBACK_ATTEMPT,
        "未接通 / 拒访: record a callback call that reached no verdict",
        CallbackAttemptIn,
        lambda o, u, b: actions.callback_attempt(
            o, u, outcome=b.outcome, note=b.note, expected_version=b.version
        ),
        # Was the endpoint's docstring: ninja cleans it up the same way, line break included.
        description="""
        A refusal, or the last allowed failed call (``CALLBACK_MAX_ATTEMPTS``), also closes the
        order as unreachable: the answer's order is then closed and its event is the attempt.
        """,
    ),
    Endpoint(
        Action.REOPEN,
        "重办: send the order back to its unit",
        ReasonIn,
        lambda o, u, b: actions.reopen(o, u, reason=b.reason, expected_version=b.version),
    ),
    Endpoint(
        Action.URGE,
        "催办: remind the unit",
        NoteIn,
        lambda o, u, b: actions.urge(o, u, note=b.note, expected_version=b.version),
        optional=True,
    ),
    Endpoint(
        Action.SUPERVISE,
        "督办: formal supervision with its own deadline",
        SuperviseIn,
        lambda o, u, b: actions.supervise(
            o,
            u,
            due=b.due,
            working_days=b.working_days,
            note=b.note,
            expected_version=b.version,
        ),
        optional=True,
    ),
    Endpoint(
        Action.MERGE,
        "重复件: merge into the order this one duplicates",
        MergeIn,
        lambda o, u, b: actions.merge(
            o,
            u,
            parent=order_by_number(u, b.parent, "parent"),
            reason=b.reason,
            expected_version=b.version,
        ),
    ),
    Endpoint(
        Action.CANCEL,
        "作废: cancel an invalid or malicious order",
        ReasonIn,
        lambda o, u, b: actions.cancel(o, u, reason=b.reason, expected_version=b.version),
    ),
    Endpoint(
        Action.COMMENT,
        "Add a note to the timeline",
        CommentIn,
        lambda o, u, b: actions.comment(o, u, text=b.text, expected_version=b.version),
    ),
    Endpoint(
        Action.CLOSE,
        "归档: close a reviewed order",
        NoteIn,
        lambda o, u, b: actions.close(o, u, note=b.note, expected_version=b.version),
        optional=True,
    ),
    Endpoint(
        Action.APPEAL,
        "申诉: the lead unit asks for the order to leave one KPI",
        AppealIn,
        lambda o, u, b: actions.appeal(
            o, u, kpi=b.kpi.value, reason=b.reason, expected_version=b.version
        ),
    ),
    Endpoint(
        Action.APPROVE_APPEAL,
        "Approve the pending appeal: the order leaves that KPI",
        NoteIn,
        lambda o, u, b: actions.approve_appeal(o, u, note=b.note, expected_version=b.version),
        optional=True,
    ),
    Endpoint(
        Action.REJECT_APPEAL,
        "Reject the pending appeal",
        ReasonIn,
        lambda o, u, b: actions.reject_appeal(o, u, reason=b.reason, expected_version=b.version),
    ),
    Endpoint(
        Action.ASSIGN_INSIDE,
        "二级派单: the lead unit assigns the order to one of its sub-units",
        AssignInsideIn,
        lambda o, u, b: actions.assign_inside(
            o,
            u,
            unit=required_unit(b.unit, "unit"),
            note=b.note,
            expected_version=b.version,
        ),
    ),
    Endpoint(
        Action.HAND_BACK,
        "退回上级: the sub-unit hands the order back up to its parent",
        ReasonIn,
        lambda o, u, b: actions.hand_back(o, u, reason=b.reason, expected_version=b.version),
    ),
)


def _act(request: HttpRequest, number: str, endpoint: Endpoint[Any], body: Body) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    order = visible_order(user, number)
    version = getattr(body, "version", None)
    if (
        version is not None
        and version != order.version
        and user.has_role(*RULES[endpoint.action].roles)
    ):
        # A stale write changes nothing, so its answer says nothing of the order either: before
        # the rules (the state) and the action's input (its "already with this unit"), which a
        # write-only token read order by order with a stale version (h4's finding 6, session 25).
        # A role that never takes this action is refused for that below, version or not.
        raise Conflict(_("This order was changed by someone else. Reload it and try again."))
    # Role, unit and state first, so a refused caller learns nothing from the codes in the body.
    check(order, user, endpoint.action)
    try:
        event = endpoint.run(order, user, body)
    except AlreadyWith:
        if reads_orders(request):
            raise
        # "Already with 江宁路街道": a token refused every GET read an order's lead unit from
        # this refusal even with no version (which is optional) or the right one (review,
        # session 25, M1). It learns that the order was not sent, not where it is.
        raise Conflict(_("The order cannot be sent to that unit now.")) from None
    if not reads_orders(request):
        # A write-only token is refused every GET: its answers must not read the order either.
        fresh_version = WorkOrder.objects.values("number", "state", "version").get(pk=order.pk)
        return {"order": fresh_version, "event": event_out(event, reads=False)}
    fresh = (
        WorkOrder.objects.select_related(*ORDER_RELATIONS)
        .prefetch_related("co_units")
        .get(pk=order.pk)
    )
    record_views(user, [fresh], Where.API_ACTION, request)
    return {"order": order_out(fresh, user), "event": event_out(event)}


def _view(endpoint: Endpoint[Any]) -> Callable[..., dict[str, Any]]:
    """The view ninja routes for one row: its signature names the body type, so the OpenAPI
    schema and the request parsing come from the table."""

    def view(request: HttpRequest, number: str, payload: Body | None = None) -> dict[str, Any]:
        return _act(request, number, endpoint, payload or endpoint.body())

    # ninja reads the parameters from the signature; an optional body defaults to None.
    body = inspect.Parameter(
        "payload",
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=endpoint.body | None if endpoint.optional else endpoint.body,
        default=None if endpoint.optional else inspect.Parameter.empty,
    )
    signature = inspect.signature(view)
    view.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*list(signature.parameters.values())[:2], body]
    )
    view.__name__ = view.__qualname__ = endpoint.action.value
    view.__doc__ = endpoint.description
    return view


for _endpoint in ENDPOINTS:
    router.post(
        "/{number}/" + _endpoint.action.value.replace("_", "-"),
        response=RESPONSES,
        summary=_endpoint.summary,
        openapi_extra={"responses": {200: {"description": ACTION_RESULT_DESCRIPTION}}},
        operation_id=_endpoint.action.value,
    )(_view(_endpoint))
