"""What the API returns: orders, events, units, categories, errors.

Enumerations are the models' own choices, so the OpenAPI schema lists exactly the values the
server accepts. Action names are kebab-case (``approve-reply``), as in the action URLs.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from hotline.orders.actions import CO_UNIT_NOTES_TOLD
from hotline.orders.models import (
    Action,
    Channel,
    Kind,
    ReplyResult,
    Satisfaction,
    State,
)
from hotline.org.models import PeerGroup, UnitKind
from hotline.sla.models import Urgency


def kebab(action: str) -> str:
    return action.replace("_", "-")


#: Every event kind, as the API spells it.
ActionName = enum.Enum(  # type: ignore[misc]
    "ActionName", {a.name: kebab(a.value) for a in Action}, type=str
)


class FieldErrorOut(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """Every error: a stable code, a message for people, and the field when one is to blame."""

    error: str
    detail: str
    field: str | None = None
    errors: list[FieldErrorOut] | None = Field(
        default=None, description="Every problem found, for invalid_input from validation."
    )


class OrderOut(Schema):
    number: str
    channel: Channel
    citizen_name: str
    citizen_phone: str
    citizen_email: str
    anonymous: bool
    phone_masked: bool
    title: str
    description: str
    address: str
    street: str | None
    community: str | None
    latitude: float | None
    longitude: float | None
    category: str | None
    category_path: str
    urgency: Urgency
    kind: Kind
    state: State
    version: int
    lead_unit: str | None
    #: 二级派单: the sub-unit of the lead unit holding the order (unit code), if assigned inside.
    assigned_unit: str | None = None
    co_units: list[str]
    parent: str | None
    registered_by: str | None
    registered_at: dt.datetime
    dispatched_at: dt.datetime | None
    accepted_at: dt.datetime | None
    first_contact_at: dt.datetime | None
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None
    updated_at: dt.datetime
    accept_due: dt.datetime | None
    first_contact_due: dt.datetime | None
    reply_due: dt.datetime | None
    return_due: dt.datetime | None
    callback_due: dt.datetime | None
    supervision_due: dt.datetime | None
    overdue: bool
    extension_days: int | None
    reply_result: ReplyResult | None
    reply_text: str
    callback_resolved: bool | None
    satisfaction: Satisfaction | None
    reopen_count: int
    cancel_reason: str


class OrderPage(Schema):
    count: int
    items: list[OrderOut]


class EventOut(Schema):
    seq: int
    action: ActionName
    actor: str | None
    actor_unit: str | None
    at: dt.datetime
    from_state: State | None
    to_state: State
    unit: str | None
    reason: str
    payload: dict[str, Any]
    notice_held: bool = Field(
        description=(
            "True for a co-unit's (协办) comment kept on the order without a text or e-mail to "
            "the units holding it: that co-unit's comments on this order already told them "
            f"{CO_UNIT_NOTES_TOLD.count} times in the last hour. The comment is on the timeline "
            "all the same. False for every other event."
        ),
    )


class OrderVersionOut(Schema):
    """What a token without ``api:read`` is told of the order it acted on: enough to act again."""

    number: str
    state: State
    version: int


#: An action's answer: the whole order for a token that may read (``api:read``), else its number,
#: state and version only (attack report, session 22: a write-only token read whole orders, the
#: citizen's full phone included, from the answer to a ``comment``).
ACTION_RESULT_DESCRIPTION = (
    "The order after the action and the event it recorded. A token without the api:read scope "
    "gets only the order's number, state and version (OrderVersionOut), not the whole order."
)


#: A registration's answer: the whole order, or its number, state and version (write-only).
RegisteredOut = Annotated[OrderOut | OrderVersionOut, Field(union_mode="left_to_right")]


class ActionResult(Schema):
    # Left to right: a whole order validates as OrderOut, the short form only as the second.
    order: OrderOut | OrderVersionOut = Field(union_mode="left_to_right")
    event: EventOut


class AllowedActionsOut(Schema):
    number: str
    state: State
    version: int
    actions: list[ActionName]


class SuggestionOut(Schema):
    unit: str
    unit_name: str
    why: Literal["category", "address", "model"]
    probability: float | None


class SuggestionsOut(Schema):
    number: str
    model_version: str
    items: list[SuggestionOut]


class UnitOut(Schema):
    code: str
    name: str
    kind: UnitKind
    parent: str | None
    peer_group: PeerGroup | None


class CategoryOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None
    default_unit: str | None
    path_name: str


#: Every endpoint: a control character in the path or a query parameter is refused before
#: routing (hotline.security.control_chars), as are bodies that are not JSON.
BAD_REQUEST: dict[int, type[Schema]] = {400: ErrorOut}
#: Error responses of the endpoints that read one order, for the OpenAPI schema.
READ_ERRORS: dict[int, type[Schema]] = {**BAD_REQUEST, 401: ErrorOut, 404: ErrorOut}
#: Error responses every order action may give.
ORDER_ERRORS: dict[int, type[Schema]] = {
    **BAD_REQUEST,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
