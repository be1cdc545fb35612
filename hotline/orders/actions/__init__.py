"""The one write path for work orders: a function per action.

Every function authorises (role, unit, state — :mod:`hotline.orders.rules`), validates its input,
then in one transaction moves the order with a conditional update on its ``version`` and appends an
:class:`~hotline.orders.models.Event`. Two people acting at once: one update matches the version,
the other matches nothing and gets :class:`Conflict`; nothing is applied twice. Side effects
(notifications) run only after commit. The web UI, the API, Open311, imports and the worker all
call these functions.

The functions live in one module per stage of the lifecycle; import them from here.
"""

from hotline.orders.actions.appeals import appeal, approve_appeal, reject_appeal
from hotline.orders.actions.dispatching import (
    approve_return,
    dispatch,
    redispatch,
    reject_return,
    request_return,
)
from hotline.orders.actions.handling import (
    accept,
    approve_extension,
    first_contact,
    reject_extension,
    reply,
    request_extension,
)
from hotline.orders.actions.inside import assign_inside, hand_back
from hotline.orders.actions.intake import (
    ATTACHMENT_EXTENSIONS,
    CO_UNIT_NOTES_TOLD,
    answer,
    attach,
    cancel,
    co_unit_notice_held,
    comment,
    merge,
    register,
)
from hotline.orders.actions.oversight import mark_overdue, supervise, urge
from hotline.orders.actions.review import (
    approve_reply,
    callback,
    callback_attempt,
    close,
    reject_reply,
    reopen,
)
from hotline.orders.rules import Conflict, InvalidInput, InvalidTransition, NotAllowed

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "CO_UNIT_NOTES_TOLD",
    "Conflict",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "accept",
    "answer",
    "appeal",
    "approve_appeal",
    "approve_extension",
    "approve_reply",
    "approve_return",
    "assign_inside",
    "attach",
    "callback",
    "callback_attempt",
    "cancel",
    "close",
    "co_unit_notice_held",
    "comment",
    "dispatch",
    "first_contact",
    "hand_back",
    "mark_overdue",
    "merge",
    "redispatch",
    "register",
    "reject_appeal",
    "reject_extension",
    "reject_reply",
    "reject_return",
    "reopen",
    "reply",
    "request_extension",
    "request_return",
    "supervise",
    "urge",
]
