"""Opening cases at the window: one per matter, linked to a returning citizen's open case, and
turned into a bundle (一件事 / 联办) with one submission for all its matters."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.cases import numbering
from hotline.cases.actions._core import append, step
from hotline.cases.checklist import checklist
from hotline.cases.models import (
    OPEN_STATES,
    Case,
    CaseAction,
    CaseCounter,
    CaseEvent,
    CaseState,
    LineState,
    ReceiptLine,
    Submission,
    VisitKind,
)
from hotline.cases.rules import RULES, InvalidInput, InvalidTransition, NotAllowed, may_act
from hotline.hall.models import Appointment, Hall, Ticket, WindowKind
from hotline.matters.models import Bundle, Matter
from hotline.org.models import User
from hotline.prereview.actions import link_case

#: A returning citizen's ticket links to their case in these states (a pick-up of a concluded one).
LINKABLE = (*OPEN_STATES, CaseState.CONCLUDED)
#: A case in these states has handed the citizen its documents under the applicant's name.
DECIDED_AND_CLOSED = (CaseState.DELIVERED, CaseState.REFUSED)


def next_number(hall: Hall, now: dt.datetime) -> str:
    """``DNL-2026-000123``: the hall's code, the year, a per-hall yearly sequence
    (:mod:`hotline.cases.numbering`). On PostgreSQL it holds no lock to commit, so 40 windows
    starting at once do not queue on it. Unique and ordered per hall and year, the first of a
    year 000001 — not gap-free: an opening rolled back after numbering leaves its number unused
    (government case numbers must be unique and ordered, not consecutive)."""
    year = timezone.localtime(now).year
    last = numbering.take(CaseCounter, Case, hall.pk, year)
    return f"{hall.code.upper()}-{year}-{last:06d}"


def _visit_kind(ticket: Ticket, case: Case) -> str:
    if case.state == CaseState.CONCLUDED:
        return VisitKind.PICKUP
    window = ticket.window
    return VisitKind.REMOTE if window and window.kind == WindowKind.REMOTE else VisitKind.TICKET


def _waits_for_citizen(case: Case) -> bool:
    """The case waits for its applicant to come: corrected materials (补正), a concluded result
    to pick up, a promised (容缺) material of its matter, or a return asked for since its last
    visit."""
    if case.state in (CaseState.CORRECTION, CaseState.CONCLUDED):
        return True
    code = case.matter.code
    promised = case.submission.lines.filter(state=LineState.PROMISED).values_list(
        "matters", flat=True
    )
    if any(code in matters.split(",") for matters in promised):
        return True
    last = (
        case.events.filter(action__in=[CaseAction.VISIT, CaseAction.RETURN_ASKED])
        .order_by("-seq")
        .values_list("action", flat=True)
        .first()
    )
    return last == CaseAction.RETURN_ASKED


def _add_lines(submission: Submission, matters: list[Matter], *, fresh: bool = False) -> None:
    """Put the (merged) checklist of ``matters`` on the submission; a line already there takes
    the merged requirement (a bundle may ask for more of a material than its first matter).
    ``fresh``: the submission was just created, it has no lines to read."""
    existing = {} if fresh else {line.key: line for line in submission.lines.all()}
    start = len(existing)
    new: list[ReceiptLine] = []
    for item in checklist(matters):
        line = existing.get(item.key)
        if line is None:
            new.append(
                ReceiptLine(
                    submission=submission,
                    key=item.key,
                    name=item.name,
                    required=item.required,
                    form=item.form,
                    copies=item.copies,
                    note=item.note,
                    matters=",".join(item.matters),
                    sort_order=start + len(new),
                )
            )
            continue
        line.required, line.form, line.copies = item.required, item.form, item.copies
        line.matters = ",".join(item.matters)
        line.save(update_fields=["required", "form", "copies", "matters"])
    ReceiptLine.objects.bulk_create(new)


def _new_case(
    submission: Submission,
    matter: Matter,
    clerk: User | None,
    now: dt.datetime,
    ticket: Ticket | None,
) -> Case:
    case = Case.objects.create(
        number=next_number(submission.hall, now),
        hall=submission.hall,
        matter=matter,
        submission=submission,
        ticket=ticket,
        promised_days=matter.promised_days,
        declared_visits=matter.visits,
        opened_at=now,
    )
    append(case, CaseAction.OPEN, clerk, now=now, to_state=CaseState.OPENED, ticket=ticket)
    # The citizen's online pre-review of this matter (网上预审), if any, is linked to the case.
    link_case(case, now=now)
    return case


def open_for_ticket(ticket: Ticket, clerk: User | None, *, now: dt.datetime | None = None) -> Case:
    """The window started service for ``ticket``: its case, opened or linked, with the visit.

    A real-name ticket whose holder proved the number theirs (:attr:`Ticket.proved_key`) and
    has a case of this matter still open here — waiting for corrected materials, or concluded
    and waiting to be picked up — is that case's next visit. Otherwise a new case is opened
    with the matter's checklist. Called by :func:`hotline.hall.actions.start` in the same
    transaction.
    """
    now = now or clock.now()
    # No savepoint of its own (two round trips on every start): the caller's transaction rolls
    # back whole on any error, and nothing here catches one to carry on.
    with transaction.atomic(savepoint=False):
        # Service started again on the same ticket (called back after a hold while the citizen
        # fetched a copy, or moved to another window): the same visit of the same case.
        same = (
            Case.objects.filter(events__ticket=ticket, matter_id=ticket.matter_id)
            .exclude(state=CaseState.WITHDRAWN)  # moved away, then back: a fresh case
            .order_by("pk")
            .first()
        )
        if same is not None:
            return same
        earlier = None
        # Only a holder who proved the number theirs is that person (a number typed at the
        # kiosk is anyone's): a stranger's ticket neither joins the owner's case nor keys a new
        # one under the owner's number (where the owner's caller history and next visit would
        # find it).
        key = ticket.proved_key
        if key:
            earlier = (
                Case.objects.filter(
                    hall_id=ticket.hall_id,
                    matter_id=ticket.matter_id,
                    submission__applicant_key=key,
                    state__in=LINKABLE,
                )
                .select_related("hall", "submission")
                .order_by("-opened_at", "-pk")
                .first()
            )
        if earlier is not None:
            cases = list(
                earlier.submission.cases.filter(state__in=LINKABLE).select_related("hall", "matter")
            )
            if CaseEvent.objects.filter(
                case__in=cases, ticket=ticket, action=CaseAction.VISIT
            ).exists():
                return earlier  # service started again on a visit already linked
            # The visit counts on the cases waiting for the citizen (a 补正, a pick-up, a return
            # asked for): a bundle's cases accepted meanwhile took no trip for it (walk-through,
            # session 25, B-H2). Nothing waiting: the citizen came about the ticket's case.
            waiting = [c for c in cases if _waits_for_citizen(c)] or [earlier]
            for case in waiting:
                step(
                    case,
                    CaseAction.VISIT,
                    clerk,
                    now=now,
                    ticket=ticket,
                    payload={"kind": _visit_kind(ticket, case)},
                )
            earlier.refresh_from_db()
            return earlier
        submission = Submission.objects.create(
            hall=ticket.hall,  # the caller's, with the ticket: numbering reads its code
            ticket=ticket,
            applicant_name=ticket.holder_name,
            applicant_key=key,
            opened_at=now,
        )
        _add_lines(submission, [ticket.matter], fresh=True)
        case = _new_case(submission, ticket.matter, clerk, now, ticket)
        append(
            case,
            CaseAction.VISIT,
            clerk,
            now=now,
            ticket=ticket,
            payload={"kind": _visit_kind(ticket, case)},
        )
        return case


def rename_applicant(
    appointment: Appointment, name: str, actor: User, *, now: dt.datetime
) -> list[Case]:
    """The booking's holder was renamed by staff (:func:`hotline.hall.actions.rename_holder`, in
    its transaction): an application opened from the booking's ticket takes the corrected name,
    so its receipt and notices print it, with a ``rename`` event (the names before and after)
    on each of its cases still in the hall's hands. A delivered or refused case keeps the name it
    was decided under, as its documents do: an application (a bundle's) with such a case keeps
    its name whole, as does one with no case left in hand. Returns the cases renamed."""
    renamed: list[Case] = []
    rule = RULES[CaseAction.RENAME]
    for submission in Submission.objects.select_for_update().filter(
        ticket__appointment=appointment
    ):
        before = submission.applicant_name
        if before == name:
            continue
        cases = list(submission.cases.filter(state__in=rule.sources).select_related("hall"))
        if not cases or submission.cases.filter(state__in=DECIDED_AND_CLOSED).exists():
            continue
        Submission.objects.filter(pk=submission.pk).update(applicant_name=name)
        for case in cases:
            append(
                case,
                CaseAction.RENAME,
                actor,
                now=now,
                reason=f"{before or '-'} → {name or '-'}",
                payload={"from": before, "to": name},
            )
            renamed.append(case)
    return renamed


def serve_as_bundle(
    submission: Submission, bundle: Bundle, clerk: User, *, now: dt.datetime | None = None
) -> list[Case]:
    """The citizen applies for the whole bundle (一件事 / 三联办) on one ticket: the submission gets
    the bundle's merged checklist and a case per matter, each with this visit.

    Only a fresh submission (nothing received or decided yet) becomes a bundle: a receipt already
    handed over cannot change under the citizen's feet.
    """
    now = now or clock.now()
    first = submission.cases.select_related("hall").order_by("pk").first()
    if first is None or not may_act(clerk, first):
        raise NotAllowed(_("Only the hall's clerks and manager may do this."))
    if submission.bundle_id is not None:
        raise InvalidTransition(_("This application is a bundle already."))
    matters = list(bundle.matters.filter(active=True).order_by("code"))
    if first.matter not in matters:
        raise InvalidInput(
            _("%(bundle)s does not include %(matter)s.")
            % {"bundle": bundle.name, "matter": first.matter.name},
            field="bundle",
        )
    fresh = (
        submission.cases.count() == 1
        and first.state == CaseState.OPENED
        and not submission.lines.exclude(state="missing").exists()
        and not first.events.exclude(action__in=[CaseAction.OPEN, CaseAction.VISIT]).exists()
    )
    if not fresh:
        raise InvalidTransition(
            _("Materials were received or decided already: open the bundle on a new ticket.")
        )
    ticket = submission.ticket
    with transaction.atomic():
        submission.bundle = bundle
        submission.save(update_fields=["bundle"])
        _add_lines(submission, [first.matter, *matters])
        cases = [first]
        for matter in matters:
            if matter.pk == first.matter_id:
                continue
            case = _new_case(submission, matter, clerk, now, ticket)
            append(
                case,
                CaseAction.VISIT,
                clerk,
                now=now,
                ticket=ticket,
                payload={"kind": _visit_kind(ticket, case) if ticket else VisitKind.TICKET},
            )
            cases.append(case)
    return cases


def withdraw_for_transfer(
    ticket: Ticket, clerk: User, matter: Matter, *, now: dt.datetime | None = None
) -> list[Case]:
    """The ticket is moved to ``matter`` after service started (the hall's transfer calls this in
    its transaction): the cases opened at this ticket are withdrawn (撤回), a case event with the
    move as its reason, so none is left open and urged for an application nobody made.

    Only while nothing was received or decided on them: once materials are on the receipt the
    citizen holds, or the case was accepted, refused or sent a correction notice, the move is
    refused (:class:`InvalidTransition`) and the clerk finishes that case first. A case this
    visit only linked to (a returning citizen's earlier case) keeps the visit: the citizen came.
    """
    now = now or clock.now()
    opened = list(
        Case.objects.filter(ticket=ticket)
        .exclude(state=CaseState.WITHDRAWN)
        .select_related("hall", "matter", "submission")
        .order_by("pk")
    )
    for case in opened:
        worked = (
            case.state != CaseState.OPENED
            or case.events.exclude(action__in=[CaseAction.OPEN, CaseAction.VISIT]).exists()
            or case.submission.lines.exclude(state=LineState.MISSING).exists()
        )
        if worked:
            raise InvalidTransition(
                _(
                    "Case %(number)s already has materials or a decision recorded: finish it "
                    "(accept, not accept or issue a correction notice) before moving the ticket "
                    "to another matter."
                )
                % {"number": case.number}
            )
    reason = _("Moved to %(matter)s at the window.") % {"matter": matter.name}
    with transaction.atomic():
        for case in opened:
            step(
                case,
                CaseAction.WITHDRAW,
                clerk,
                now=now,
                reason=reason,
                payload={"to_matter": matter.code},
            )
    return opened
