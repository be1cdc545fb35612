"""One endpoint per order action: ``POST /api/v1/orders/{number}/{action}``.

Each endpoint finds the order among those the caller may see (404 otherwise), asks the transition
table whether the caller may take this action now (403 wrong role or unit, 409 wrong state), reads
the codes its body names (422 when unknown), and calls the one write path in
:mod:`hotline.orders.actions`. It answers with the updated order and the new event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router

from hotline.api.bodies import (
    AppealIn,
    AssignInsideIn,
    CallbackAttemptIn,
    CallbackIn,
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
from hotline.api.schemas import ORDER_ERRORS, ActionResult
from hotline.orders import actions
from hotline.orders.models import Action, Event, WorkOrder
from hotline.orders.rules import check
from hotline.org.models import User
from hotline.security.models import Where
from hotline.security.phones import record_views

router = Router(tags=["order actions"])

Run = Callable[[WorkOrder, User], Event]
RESPONSES: dict[int, Any] = {200: ActionResult, **ORDER_ERRORS}


def _act(request: HttpRequest, number: str, action: Action, run: Run) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    order = visible_order(user, number)
    # Role, unit and state first, so a refused caller learns nothing from the codes in the body.
    check(order, user, action)
    event = run(order, user)
    fresh = (
        WorkOrder.objects.select_related(*ORDER_RELATIONS)
        .prefetch_related("co_units")
        .get(pk=order.pk)
    )
    record_views(user, [fresh], Where.API_ACTION, request)
    return {"order": order_out(fresh, user), "event": event_out(event)}


def _post(action: Action, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    path = "/{number}/" + action.value.replace("_", "-")
    return router.post(path, response=RESPONSES, summary=summary, operation_id=action.value)


@_post(Action.ANSWER, "直接答复: answer at intake and finish the order")
def answer(request: HttpRequest, number: str, payload: TextIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.ANSWER,
        lambda o, u: actions.answer(o, u, text=payload.text, expected_version=payload.version),
    )


@_post(Action.DISPATCH, "派单: send to a lead unit and optional co-units")
def dispatch(request: HttpRequest, number: str, payload: DispatchIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.DISPATCH,
        lambda o, u: actions.dispatch(
            o,
            u,
            lead_unit=required_unit(payload.lead_unit, "lead_unit"),
            co_units=units_by_code(payload.co_units, "co_units"),
            note=payload.note,
            expected_version=payload.version,
        ),
    )


@_post(Action.REDISPATCH, "转派: send to another unit")
def redispatch(request: HttpRequest, number: str, payload: RedispatchIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.REDISPATCH,
        lambda o, u: actions.redispatch(
            o,
            u,
            lead_unit=required_unit(payload.lead_unit, "lead_unit"),
            co_units=units_by_code(payload.co_units, "co_units"),
            reason=payload.reason,
            expected_version=payload.version,
        ),
    )


@_post(Action.ACCEPT, "签收: the lead unit signs for the order")
def accept(request: HttpRequest, number: str, payload: VersionIn | None = None) -> dict[str, Any]:
    body = payload or VersionIn()
    return _act(
        request,
        number,
        Action.ACCEPT,
        lambda o, u: actions.accept(o, u, expected_version=body.version),
    )


@_post(Action.RETURN, "退单: the unit says the order is not theirs")
def request_return(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.RETURN,
        lambda o, u: actions.request_return(
            o, u, reason=payload.reason, expected_version=payload.version
        ),
    )


@_post(Action.APPROVE_RETURN, "Approve a return by sending the order to the right unit")
def approve_return(request: HttpRequest, number: str, payload: DispatchIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.APPROVE_RETURN,
        lambda o, u: actions.approve_return(
            o,
            u,
            lead_unit=required_unit(payload.lead_unit, "lead_unit"),
            co_units=units_by_code(payload.co_units, "co_units"),
            note=payload.note,
            expected_version=payload.version,
        ),
    )


@_post(Action.REJECT_RETURN, "Refuse a return: the unit keeps the order")
def reject_return(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.REJECT_RETURN,
        lambda o, u: actions.reject_return(
            o, u, reason=payload.reason, expected_version=payload.version
        ),
    )


@_post(Action.FIRST_CONTACT, "先行联系: record the unit's first contact with the citizen")
def first_contact(request: HttpRequest, number: str, payload: FirstContactIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.FIRST_CONTACT,
        lambda o, u: actions.first_contact(
            o,
            u,
            way=payload.way,
            note=payload.note,
            contacted_at=payload.contacted_at,
            expected_version=payload.version,
        ),
    )


@_post(Action.REQUEST_EXTENSION, "延期申请: ask for more working days")
def request_extension(request: HttpRequest, number: str, payload: ExtensionIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.REQUEST_EXTENSION,
        lambda o, u: actions.request_extension(
            o, u, days=payload.days, reason=payload.reason, expected_version=payload.version
        ),
    )


@_post(Action.APPROVE_EXTENSION, "Approve the pending extension request")
def approve_extension(
    request: HttpRequest, number: str, payload: NoteIn | None = None
) -> dict[str, Any]:
    body = payload or NoteIn()
    return _act(
        request,
        number,
        Action.APPROVE_EXTENSION,
        lambda o, u: actions.approve_extension(o, u, note=body.note, expected_version=body.version),
    )


@_post(Action.REJECT_EXTENSION, "Refuse the pending extension request")
def reject_extension(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.REJECT_EXTENSION,
        lambda o, u: actions.reject_extension(
            o, u, reason=payload.reason, expected_version=payload.version
        ),
    )


@_post(Action.REPLY, "办结答复: the unit's final answer")
def reply(request: HttpRequest, number: str, payload: ReplyIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.REPLY,
        lambda o, u: actions.reply(
            o, u, result=payload.result, text=payload.text, expected_version=payload.version
        ),
    )


@_post(Action.APPROVE_REPLY, "审核通过: approve the unit's reply")
def approve_reply(
    request: HttpRequest, number: str, payload: NoteIn | None = None
) -> dict[str, Any]:
    body = payload or NoteIn()
    return _act(
        request,
        number,
        Action.APPROVE_REPLY,
        lambda o, u: actions.approve_reply(o, u, note=body.note, expected_version=body.version),
    )


@_post(Action.REJECT_REPLY, "审核退回: send the reply back to the unit")
def reject_reply(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.REJECT_REPLY,
        lambda o, u: actions.reject_reply(
            o, u, reason=payload.reason, expected_version=payload.version
        ),
    )


@_post(Action.CALLBACK, "回访: record whether the citizen is resolved and satisfied")
def callback(request: HttpRequest, number: str, payload: CallbackIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.CALLBACK,
        lambda o, u: actions.callback(
            o,
            u,
            resolved=payload.resolved,
            satisfaction=payload.satisfaction,
            note=payload.note,
            expected_version=payload.version,
        ),
    )


@_post(Action.CALLBACK_ATTEMPT, "未接通 / 拒访: record a callback call that reached no verdict")
def callback_attempt(
    request: HttpRequest, number: str, payload: CallbackAttemptIn
) -> dict[str, Any]:
    """A refusal, or the last allowed failed call (``CALLBACK_MAX_ATTEMPTS``), also closes the
    order as unreachable: the answer's order is then closed and its event is the attempt."""
    return _act(
        request,
        number,
        Action.CALLBACK_ATTEMPT,
        lambda o, u: actions.callback_attempt(
            o, u, outcome=payload.outcome, note=payload.note, expected_version=payload.version
        ),
    )


@_post(Action.REOPEN, "重办: send the order back to its unit")
def reopen(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.REOPEN,
        lambda o, u: actions.reopen(o, u, reason=payload.reason, expected_version=payload.version),
    )


@_post(Action.URGE, "催办: remind the unit")
def urge(request: HttpRequest, number: str, payload: NoteIn | None = None) -> dict[str, Any]:
    body = payload or NoteIn()
    return _act(
        request,
        number,
        Action.URGE,
        lambda o, u: actions.urge(o, u, note=body.note, expected_version=body.version),
    )


@_post(Action.SUPERVISE, "督办: formal supervision with its own deadline")
def supervise(
    request: HttpRequest, number: str, payload: SuperviseIn | None = None
) -> dict[str, Any]:
    body = payload or SuperviseIn()
    return _act(
        request,
        number,
        Action.SUPERVISE,
        lambda o, u: actions.supervise(
            o,
            u,
            due=body.due,
            working_days=body.working_days,
            note=body.note,
            expected_version=body.version,
        ),
    )


@_post(Action.MERGE, "重复件: merge into the order this one duplicates")
def merge(request: HttpRequest, number: str, payload: MergeIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.MERGE,
        lambda o, u: actions.merge(
            o,
            u,
            parent=order_by_number(u, payload.parent, "parent"),
            reason=payload.reason,
            expected_version=payload.version,
        ),
    )


@_post(Action.CANCEL, "作废: cancel an invalid or malicious order")
def cancel(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.CANCEL,
        lambda o, u: actions.cancel(o, u, reason=payload.reason, expected_version=payload.version),
    )


@_post(Action.COMMENT, "Add a note to the timeline")
def comment(request: HttpRequest, number: str, payload: TextIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.COMMENT,
        lambda o, u: actions.comment(o, u, text=payload.text, expected_version=payload.version),
    )


@_post(Action.CLOSE, "归档: close a reviewed order")
def close(request: HttpRequest, number: str, payload: NoteIn | None = None) -> dict[str, Any]:
    body = payload or NoteIn()
    return _act(
        request,
        number,
        Action.CLOSE,
        lambda o, u: actions.close(o, u, note=body.note, expected_version=body.version),
    )


@_post(Action.APPEAL, "申诉: the lead unit asks for the order to leave one KPI")
def appeal(request: HttpRequest, number: str, payload: AppealIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.APPEAL,
        lambda o, u: actions.appeal(
            o, u, kpi=payload.kpi.value, reason=payload.reason, expected_version=payload.version
        ),
    )


@_post(Action.APPROVE_APPEAL, "Approve the pending appeal: the order leaves that KPI")
def approve_appeal(
    request: HttpRequest, number: str, payload: NoteIn | None = None
) -> dict[str, Any]:
    body = payload or NoteIn()
    return _act(
        request,
        number,
        Action.APPROVE_APPEAL,
        lambda o, u: actions.approve_appeal(o, u, note=body.note, expected_version=body.version),
    )


@_post(Action.REJECT_APPEAL, "Reject the pending appeal")
def reject_appeal(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.REJECT_APPEAL,
        lambda o, u: actions.reject_appeal(
            o, u, reason=payload.reason, expected_version=payload.version
        ),
    )


@_post(Action.ASSIGN_INSIDE, "二级派单: the lead unit assigns the order to one of its sub-units")
def assign_inside(request: HttpRequest, number: str, payload: AssignInsideIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.ASSIGN_INSIDE,
        lambda o, u: actions.assign_inside(
            o,
            u,
            unit=required_unit(payload.unit, "unit"),
            note=payload.note,
            expected_version=payload.version,
        ),
    )


@_post(Action.HAND_BACK, "退回上级: the sub-unit hands the order back up to its parent")
def hand_back(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        number,
        Action.HAND_BACK,
        lambda o, u: actions.hand_back(
            o, u, reason=payload.reason, expected_version=payload.version
        ),
    )
