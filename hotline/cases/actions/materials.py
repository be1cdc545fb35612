"""The receipt (收件凭证): what the window actually received, 容缺 promises and their fulfilment.

Materials belong to the submission (a bundle's are shared by its cases); each change is a
RECEIVE / PROMISE / FULFIL_PROMISE event on every case of the submission it concerns. The
receipt of the last item a correction notice listed completes the correction: the case's clock
runs again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.cases.actions._core import step
from hotline.cases.models import (
    Case,
    CaseAction,
    CaseState,
    LineState,
    ReceiptLine,
    Submission,
)
from hotline.cases.rules import RULES, InvalidInput, InvalidTransition, NotAllowed, may_act
from hotline.matters.models import MaterialForm
from hotline.org.models import User

MAX_COUNT = 99


@dataclass(frozen=True)
class Received:
    """What the clerk saw of one line: its state, the form handed in, how many, a note."""

    state: str
    form: str = ""
    count: int = 0
    note: str = ""


def _staff(submission: Submission, clerk: User) -> list[Case]:
    cases = list(submission.cases.select_related("hall", "matter").order_by("pk"))
    if not cases or not may_act(clerk, cases[0]):
        raise NotAllowed(_("Only the hall's clerks and manager may do this."))
    return cases


def concerns(line: ReceiptLine, case: Case) -> bool:
    return case.matter.code in line.matters.split(",")


def _validate(line: ReceiptLine, got: Received) -> Received:
    if got.state not in (LineState.MISSING, LineState.RECEIVED, LineState.WAIVED):
        raise InvalidInput(_("Unknown material state."), field=f"line-{line.pk}")
    if got.state == LineState.WAIVED and line.required:
        raise InvalidInput(
            _("%(name)s is required: it cannot be marked as not needed.") % {"name": line.name},
            field=f"line-{line.pk}",
        )
    if got.state != LineState.RECEIVED:
        return Received(got.state, "", 0, got.note.strip()[:200])
    if got.form not in MaterialForm.values:
        raise InvalidInput(
            _("Say in which form %(name)s was handed in.") % {"name": line.name},
            field=f"line-{line.pk}",
        )
    if not 1 <= got.count <= MAX_COUNT:
        raise InvalidInput(
            _("The count of %(name)s must be between 1 and %(max)d.")
            % {"name": line.name, "max": MAX_COUNT},
            field=f"line-{line.pk}",
        )
    return Received(got.state, got.form, got.count, got.note.strip()[:200])


def receive(
    submission: Submission,
    clerk: User,
    entries: dict[int, Received],
    *,
    now: dt.datetime | None = None,
) -> list[str]:
    """Record what was handed in (or found missing) for the lines in ``entries``.

    Returns the numbers of the cases whose correction this completed. A promised (容缺) line is
    fulfilled with :func:`fulfil_promise`, not here.
    """
    now = now or clock.now()
    cases = _staff(submission, clerk)
    lines = {line.pk: line for line in submission.lines.all()}
    unknown = set(entries) - set(lines)
    if unknown:
        raise InvalidInput(_("That material is not on this checklist."))
    checked = {pk: _validate(lines[pk], got) for pk, got in entries.items()}
    changed: list[ReceiptLine] = []
    for pk, got in checked.items():
        line = lines[pk]
        if line.state == LineState.PROMISED:
            continue
        if (line.state, line.received_form, line.received_count, line.note) == (
            got.state,
            got.form,
            got.count,
            got.note,
        ):
            continue
        line.state, line.received_form, line.received_count = got.state, got.form, got.count
        line.note = got.note
        line.received_at = now if got.state == LineState.RECEIVED else None
        changed.append(line)
    if not changed:
        return []
    acting = [c for c in cases if c.state in RULES[CaseAction.RECEIVE].sources]
    if not acting:
        raise InvalidTransition(_("No case of this application takes materials any more."))
    completed: list[str] = []
    with transaction.atomic():
        ReceiptLine.objects.bulk_update(
            changed, ["state", "received_form", "received_count", "received_at", "note"]
        )
        for case in acting:
            mine = [line for line in changed if concerns(line, case)]
            if not mine:
                continue
            step(
                case,
                CaseAction.RECEIVE,
                clerk,
                now=now,
                payload={
                    "lines": [
                        {
                            "name": line.name,
                            "state": line.state,
                            "form": line.received_form,
                            "count": line.received_count,
                        }
                        for line in mine
                    ]
                },
            )
            if case.state == CaseState.CORRECTION and _correction_done(case, submission):
                step(
                    case,
                    CaseAction.CORRECTION_COMPLETE,
                    clerk,
                    now=now,
                    to_state=_before_correction(case),
                )
                completed.append(case.number)
    return completed


def notice_items(case: Case) -> list[str]:
    """The materials the case's correction notice listed (empty without a notice)."""
    event = case.events.filter(action=CaseAction.REQUEST_CORRECTION).order_by("-seq").first()
    return [item["name"] for item in event.payload.get("items", [])] if event else []


def _correction_done(case: Case, submission: Submission) -> bool:
    listed = set(notice_items(case))
    return not submission.lines.filter(name__in=listed, state=LineState.MISSING).exists()


def _before_correction(case: Case) -> str:
    event = case.events.filter(action=CaseAction.REQUEST_CORRECTION).order_by("-seq").first()
    return event.from_state if event else CaseState.OPENED


#: How far ahead an applicant may promise to hand in a missing item: within a year of today, so a
#: typo (9999-12-31, 2205 for 2025) is refused instead of tracked for ever.
PROMISE_HORIZON = dt.timedelta(days=365)


def promise_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day a 容缺 promise may name, counted from ``today``."""
    return today + dt.timedelta(days=1), today + PROMISE_HORIZON


def promise(
    line: ReceiptLine,
    clerk: User,
    *,
    text: str,
    due: dt.date,
    now: dt.datetime | None = None,
) -> None:
    """容缺受理: accept with this non-essential item missing, under the applicant's written promise
    to hand it in by ``due``; tracked until :func:`fulfil_promise`."""
    now = now or clock.now()
    submission = line.submission
    cases = _staff(submission, clerk)
    line.refresh_from_db()
    if line.required:
        raise InvalidInput(
            _(
                "%(name)s is essential: it cannot be accepted under a promise; issue a correction "
                "notice instead."
            )
            % {"name": line.name},
            field="promise",
        )
    if line.state != LineState.MISSING:
        raise InvalidTransition(_("Only a missing material can be promised."))
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write down what the applicant promises."), field="promise_text")
    first, last = promise_range(timezone.localtime(now).date())
    if due < first:
        raise InvalidInput(_("The promised date must be after today."), field="promise_due")
    if due > last:
        raise InvalidInput(
            _("The promised date must be within a year: %(last)s at the latest.")
            % {"last": last.isoformat()},
            field="promise_due",
        )
    acting = [c for c in cases if concerns(line, c)]
    with transaction.atomic():
        ReceiptLine.objects.filter(pk=line.pk).update(
            state=LineState.PROMISED, promise_text=text[:300], promise_due=due
        )
        for case in acting:
            step(
                case,
                CaseAction.PROMISE,
                clerk,
                now=now,
                reason=text[:300],
                payload={"name": line.name, "due": due.isoformat()},
            )
    line.state, line.promise_text, line.promise_due = LineState.PROMISED, text[:300], due


def fulfil_promise(
    line: ReceiptLine,
    clerk: User,
    *,
    form: str,
    count: int = 1,
    now: dt.datetime | None = None,
) -> None:
    """The promised item arrived: the line is received and the promise is closed."""
    now = now or clock.now()
    cases = _staff(line.submission, clerk)
    line.refresh_from_db()
    if line.state != LineState.PROMISED:
        raise InvalidTransition(_("This material was not promised."))
    got = _validate(line, Received(LineState.RECEIVED, form, count))
    acting = [c for c in cases if concerns(line, c)]
    with transaction.atomic():
        ReceiptLine.objects.filter(pk=line.pk).update(
            state=LineState.RECEIVED,
            received_form=got.form,
            received_count=got.count,
            received_at=now,
        )
        for case in acting:
            step(
                case,
                CaseAction.FULFIL_PROMISE,
                clerk,
                now=now,
                payload={"name": line.name, "form": got.form, "count": got.count},
            )
