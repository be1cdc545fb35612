"""The window's decisions on a case (受理, 不予受理, 补正, 特别程序, 办结, 送达) and the
worker's urge."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.cases.actions._core import step
from hotline.cases.actions.materials import concerns
from hotline.cases.models import (
    Case,
    CaseAction,
    CaseState,
    Delivery,
    LineState,
    Outcome,
    Submission,
    TripCause,
    VisitKind,
)
from hotline.cases.rules import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    check,
    may_act,
)
from hotline.hall.models import Ticket
from hotline.org.models import User
from hotline.sla.calendar import get_calendar

MAX_SPECIAL_DAYS = 365
#: A return visit's causes a clerk records (a correction notice records its own).
RETURN_CAUSES = (TripCause.MISSING_MATERIAL, TripCause.SYSTEM_FAILURE, TripCause.OTHER)


def _reason(text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(message, field="reason")
    return text[:300]


def outstanding(case: Case) -> list[str]:
    """The case's materials still missing: essential ones missing, secondary ones neither
    received, promised (容缺) nor marked not needed."""
    return [
        line.name
        for line in case.submission.lines.filter(state=LineState.MISSING)
        if concerns(line, case)
    ]


def accept(case: Case, clerk: User, *, now: dt.datetime | None = None) -> None:
    """受理: every material of the case is received, promised (容缺) or not needed."""
    check(CaseAction.ACCEPT, case, clerk)
    missing = outstanding(case)
    if missing:
        raise InvalidInput(
            _(
                "Still missing: %(names)s. Issue a correction notice, or accept a secondary item "
                "under a written promise."
            )
            % {"names": _(", ").join(missing)},
            field="materials",
        )
    step(case, CaseAction.ACCEPT, clerk, now=now or clock.now())


def refuse(case: Case, clerk: User, *, reason: str, now: dt.datetime | None = None) -> None:
    """不予受理, with the reason printed on the notice (the matter is not this hall's, the
    applicant is not eligible …)."""
    text = _reason(reason, _("Say why the application is not accepted."))
    step(
        case,
        CaseAction.REFUSE,
        clerk,
        now=now or clock.now(),
        reason=text,
        changes={"reason": text},
    )


def request_correction(
    submission: Submission, clerk: User, *, note: str = "", now: dt.datetime | None = None
) -> list[Case]:
    """补正: one notice listing every material still missing, all at once (一次性告知).

    Each case the missing materials concern pauses its clock. A case gets one notice only: a
    second list would be the repeated trips the rule exists to prevent.
    """
    now = now or clock.now()
    cases = list(submission.cases.select_related("hall", "matter").order_by("pk"))
    if not cases or not may_act(clerk, cases[0]):
        raise NotAllowed(_("Only the hall's clerks and manager may do this."))
    missing = list(submission.lines.filter(state=LineState.MISSING))
    if not missing:
        raise InvalidInput(_("Nothing is missing: there is nothing to correct."))
    touched = []
    for case in cases:
        mine = [line for line in missing if concerns(line, case)]
        if not mine or case.state not in (CaseState.OPENED, CaseState.ACCEPTED):
            continue
        issued = case.events.filter(action=CaseAction.REQUEST_CORRECTION).first()
        if issued is not None:
            raise InvalidTransition(
                _("Case %(number)s had its one-time correction notice on %(day)s already.")
                % {"number": case.number, "day": f"{timezone.localtime(issued.at):%Y-%m-%d}"}
            )
        touched.append((case, mine))
    if not touched:
        raise InvalidTransition(_("No case of this application can take a correction notice now."))
    with transaction.atomic():
        for case, mine in touched:
            step(
                case,
                CaseAction.REQUEST_CORRECTION,
                clerk,
                now=now,
                reason=note.strip()[:300],
                payload={"items": [{"name": line.name, "note": line.note} for line in mine]},
            )
    return [case for case, _mine in touched]


def start_special(
    case: Case, clerk: User, *, reason: str, days: int, now: dt.datetime | None = None
) -> None:
    """特别程序 (hearing, inspection, expert review): the clock stops for up to ``days``."""
    text = _reason(reason, _("Say which special procedure and why."))
    if not 1 <= days <= MAX_SPECIAL_DAYS:
        raise InvalidInput(
            _("The special procedure takes 1 to %(max)d days.") % {"max": MAX_SPECIAL_DAYS},
            field="days",
        )
    step(
        case,
        CaseAction.START_SPECIAL,
        clerk,
        now=now or clock.now(),
        reason=text,
        payload={"days": days},
    )


def end_special(case: Case, clerk: User, *, now: dt.datetime | None = None) -> None:
    """The special procedure is over: the clock runs again."""
    step(case, CaseAction.END_SPECIAL, clerk, now=now or clock.now())


def conclude(
    case: Case, clerk: User, *, outcome: str, reason: str = "", now: dt.datetime | None = None
) -> None:
    """办结: approved, or refused with the reason."""
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose approved or refused."), field="outcome")
    text = reason.strip()[:300]
    if outcome == Outcome.REFUSED:
        text = _reason(reason, _("Say why the application is refused."))
    step(
        case,
        CaseAction.CONCLUDE,
        clerk,
        now=now or clock.now(),
        reason=text,
        changes={"outcome": outcome, "reason": text},
        payload={"outcome": outcome},
    )


def deliver(
    case: Case,
    clerk: User,
    *,
    method: str,
    ticket: Ticket | None = None,
    now: dt.datetime | None = None,
) -> None:
    """送达: at the window (a pick-up trip unless the citizen's visit today is recorded), by
    post, to a pick-up locker or online."""
    now = now or clock.now()
    if method not in Delivery.values:
        raise InvalidInput(_("Choose how the result is delivered."), field="method")
    with transaction.atomic():
        if method == Delivery.WINDOW:
            today = timezone.localtime(now).date()
            came = any(
                timezone.localtime(at).date() == today
                for at in case.events.filter(action=CaseAction.VISIT).values_list("at", flat=True)
            )
            if not came and case.state == CaseState.CONCLUDED:
                step(
                    case,
                    CaseAction.VISIT,
                    clerk,
                    now=now,
                    ticket=ticket,
                    payload={"kind": VisitKind.PICKUP},
                )
        step(
            case,
            CaseAction.DELIVER,
            clerk,
            now=now,
            changes={"delivery": method},
            payload={"method": method},
        )


def ask_return(
    case: Case, clerk: User, *, cause: str, note: str = "", now: dt.datetime | None = None
) -> None:
    """The citizen must come again for another reason than a correction notice: recorded so the
    next trip has its cause (a material they can fetch, the system down)."""
    if cause not in RETURN_CAUSES:
        raise InvalidInput(_("Choose why the citizen must come again."), field="cause")
    step(
        case,
        CaseAction.RETURN_ASKED,
        clerk,
        now=now or clock.now(),
        reason=note.strip()[:300],
        payload={"cause": cause},
    )


NEAR, OVERDUE = 1, 2


def urge_due(now: dt.datetime) -> int:
    """Worker step: urge each running case once when it is due within a working day, and once
    more when it is past its promised date. Several workers may run it: the version check in
    the write path lets one of them urge."""
    soon = get_calendar().add_working_days(now, 1)
    count = 0
    for case in Case.objects.filter(
        state__in=[CaseState.OPENED, CaseState.ACCEPTED],
        due_at__isnull=False,
        due_at__lte=soon,
        urge_level__lt=OVERDUE,
    ).select_related("hall"):
        level = OVERDUE if case.due_at is not None and case.due_at <= now else NEAR
        if level <= case.urge_level:
            continue
        try:
            step(
                case,
                CaseAction.URGE,
                None,
                now=now,
                changes={"urge_level": level},
                payload={"level": level},
            )
        except Conflict:
            continue
        count += 1
    return count
