"""The one write path of the hall: a function per ticket or window step.

Every ticket function checks :mod:`hotline.hall.rules`, moves the ticket with a conditional
UPDATE (version and state, row count checked) and appends a
:class:`~hotline.hall.models.TicketEvent` in one transaction. Pages, the API, the simulator
and the worker all call these.
"""

from hotline.hall.actions.tickets import cancel, issue, reprint
from hotline.hall.actions.windows import (
    call_back,
    call_next,
    call_ticket,
    finish,
    hold,
    holders_other,
    no_show,
    reactivate,
    reactivate_until,
    recall,
    set_auto_call,
    set_serves_lunch,
    set_state,
    sign_in,
    sign_out,
    start,
    sweep_no_shows,
    transfer,
)
from hotline.hall.rules import (
    CapReached,
    Conflict,
    HallError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
)

__all__ = [
    "CapReached",
    "Conflict",
    "HallError",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "call_back",
    "call_next",
    "call_ticket",
    "cancel",
    "finish",
    "hold",
    "holders_other",
    "issue",
    "no_show",
    "reactivate",
    "reactivate_until",
    "recall",
    "reprint",
    "set_auto_call",
    "set_serves_lunch",
    "set_state",
    "sign_in",
    "sign_out",
    "start",
    "sweep_no_shows",
    "transfer",
]
