"""The one write path of cases: a function per step.

Each checks :mod:`hotline.cases.rules`, moves the case with a conditional UPDATE (version and
state, row count checked) and appends a :class:`~hotline.cases.models.CaseEvent` in one
transaction, refreshing the stored promised date from the events. The window desk, the case page
and the worker all call these.
"""

from hotline.cases.actions.consent import record_orders_consent, record_orders_consent_refused
from hotline.cases.actions.decisions import (
    RETURN_CAUSES,
    accept,
    ask_return,
    conclude,
    deliver,
    end_special,
    outstanding,
    refuse,
    request_correction,
    start_special,
    urge_due,
)
from hotline.cases.actions.materials import (
    Received,
    fulfil_promise,
    promise,
    promise_range,
    receive,
)
from hotline.cases.actions.opening import (
    open_for_ticket,
    rename_applicant,
    serve_as_bundle,
    withdraw_for_transfer,
)
from hotline.cases.rules import CaseError, Conflict, InvalidInput, InvalidTransition, NotAllowed

__all__ = [
    "RETURN_CAUSES",
    "CaseError",
    "Conflict",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "Received",
    "accept",
    "ask_return",
    "conclude",
    "deliver",
    "end_special",
    "fulfil_promise",
    "open_for_ticket",
    "outstanding",
    "promise",
    "promise_range",
    "receive",
    "record_orders_consent",
    "record_orders_consent_refused",
    "refuse",
    "rename_applicant",
    "request_correction",
    "serve_as_bundle",
    "start_special",
    "urge_due",
    "withdraw_for_transfer",
]
