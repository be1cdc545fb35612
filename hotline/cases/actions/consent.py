"""The applicant's consent to list their 12345 orders on a case (see
:mod:`hotline.cases.orders_consent`): a step that changes no state, recorded like every other."""

from __future__ import annotations

import datetime as dt

from hotline.cases.actions._core import step
from hotline.cases.models import Case, CaseAction, CaseEvent
from hotline.cases.rules import Conflict
from hotline.org.models import User

#: Tries while other clerks act on the same case (each step moves its version first): the
#: citizen read the code once, their consent is not "changed by someone else".
TRIES = 3


def record_orders_consent(
    case: Case, clerk: User, *, phone_masked: str, until: dt.datetime, now: dt.datetime
) -> CaseEvent:
    """The applicant read ``clerk`` the code texted to their number: ``clerk`` may list their
    12345 orders on ``case`` until ``until``. The event keeps the number masked only."""
    for attempt in range(TRIES):
        try:
            return step(
                case,
                CaseAction.ORDERS_CONSENT,
                clerk,
                now=now,
                payload={"phone": phone_masked, "until": until.isoformat()},
            )
        except Conflict:
            if attempt == TRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def record_orders_consent_refused(
    case: Case, clerk: User, *, why: str, now: dt.datetime
) -> CaseEvent:
    """The code ``clerk`` typed for the applicant's consent was not taken: ``why`` is
    :class:`~hotline.security.texted_code.Reason`'s value (expired, used-up, superseded, wrong).
    Nothing personal in the event: neither the number nor the code typed."""
    for attempt in range(TRIES):
        try:
            return step(
                case, CaseAction.ORDERS_CONSENT_REFUSED, clerk, now=now, payload={"why": why}
            )
        except Conflict:
            if attempt == TRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
