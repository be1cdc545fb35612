"""What the case page and the printed A4 documents show: the live promise, the timeline, and
which documents an application has (受理通知书, 收件凭证, 补正材料告知书, 不予受理通知书)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.cases import deadlines
from hotline.cases.actions._core import steps_of
from hotline.cases.models import Case, CaseAction, CaseEvent, CaseState, LineState, Submission

ACCEPTANCE, RECEIPT, CORRECTION, REFUSAL = "acceptance", "receipt", "correction", "refusal"


def titles() -> dict[str, str]:
    return {
        ACCEPTANCE: _("Acceptance notice"),
        RECEIPT: _("Receipt of materials"),
        CORRECTION: _("Notice of materials to correct"),
        REFUSAL: _("Notice of non-acceptance"),
    }


@dataclass
class Due:
    at: dt.datetime | None
    paused: bool
    overdue: bool


def live_due(case: Case, now: dt.datetime) -> Due:
    """The promise as it stands now: while paused, the date if the clock restarted now."""
    paused = case.state in deadlines.PAUSED
    at = deadlines.due_at(steps_of(case), case.promised_days, now=now) if paused else case.due_at
    running = case.state in (CaseState.OPENED, CaseState.ACCEPTED)
    return Due(at, paused, bool(running and at is not None and at < now))


def available(submission: Submission) -> list[str]:
    """The documents this application has now (the receipt always; the others once decided)."""
    cases = list(submission.cases.all())
    actions = set(
        CaseEvent.objects.filter(case__in=cases).values_list("action", flat=True).distinct()
    )
    kinds = [RECEIPT]
    if CaseAction.ACCEPT in actions:
        kinds.append(ACCEPTANCE)
    if CaseAction.REQUEST_CORRECTION in actions:
        kinds.append(CORRECTION)
    if CaseAction.REFUSE in actions:
        kinds.append(REFUSAL)
    return kinds


def timeline(cases: list[Case]) -> list[CaseEvent]:
    return list(
        CaseEvent.objects.filter(case__in=cases)
        .select_related("case", "actor", "ticket")
        .order_by("at", "case_id", "seq")
    )


def context(submission: Submission, kind: str, now: dt.datetime) -> dict[str, Any]:
    cases = list(submission.cases.select_related("matter", "hall__unit").order_by("pk"))
    lines = list(submission.lines.all())
    notices = list(
        CaseEvent.objects.filter(case__in=cases, action=CaseAction.REQUEST_CORRECTION)
        .select_related("case")
        .order_by("at")
    )
    items: dict[str, str] = {}
    # Which matters each material is for (a bundle's notice names them; walk-through, session
    # 25, B-M6), and the cases the notice paused: only those, a bundle's others run on.
    for_matters: dict[str, list[str]] = {}
    for event in notices:
        for item in event.payload.get("items", []):
            items.setdefault(item["name"], item.get("note", ""))
            names = for_matters.setdefault(item["name"], [])
            if event.case.matter.name not in names:
                names.append(event.case.matter.name)
    noticed = {event.case_id for event in notices}
    decided = {
        CaseAction.ACCEPT: ACCEPTANCE,
        CaseAction.REFUSE: REFUSAL,
        CaseAction.REQUEST_CORRECTION: CORRECTION,
    }
    dated = (
        CaseEvent.objects.filter(
            case__in=cases, action__in=[a for a, k in decided.items() if k == kind]
        )
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    return {
        "kind": kind,
        "title": titles()[kind],
        "submission": submission,
        "cases": cases,
        "hall": cases[0].hall if cases else None,
        "first": cases[0] if cases else None,
        "received": [line for line in lines if line.state == LineState.RECEIVED],
        "promised": [line for line in lines if line.state == LineState.PROMISED],
        "missing": [line for line in lines if line.state == LineState.MISSING],
        "notice_items": list(items.items()),
        "notice_rows": [(name, note, for_matters[name]) for name, note in items.items()],
        "noticed_rows": [(c, live_due(c, now)) for c in cases if c.pk in noticed],
        "not_noticed": [c for c in cases if c.pk not in noticed],
        "notice_note": notices[0].reason if notices else "",
        "refused": [c for c in cases if c.state == CaseState.REFUSED],
        "issued": timezone.localtime(dated or submission.opened_at),
        "printed": timezone.localtime(now),
        "rows": [(c, live_due(c, now)) for c in cases],
    }
