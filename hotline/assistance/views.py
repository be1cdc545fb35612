"""The hall's 帮办 and 代办 page: start one, move it on, see the day's records. Hall staff work
at their own hall; a leader picks the hall where they help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hotline import clock
from hotline.assistance import actions
from hotline.assistance.forms import HelpForm, ProxyForm, StepForm
from hotline.assistance.models import AssistAction, Assistance, AssistState
from hotline.assistance.rules import next_steps
from hotline.cases import trips as cases_trips
from hotline.cases.models import Case, LineState, ReceiptLine
from hotline.hall.forms import form_problem
from hotline.hall.models import Hall, Ticket
from hotline.hall.rules import STAFF, HallError, NotAllowed, own_hall_only
from hotline.org.models import Role, User
from hotline.ratings import visits
from hotline.web import once

STEPS: dict[str, Callable[..., object]] = {
    AssistAction.END: actions.end_help,
    AssistAction.ACCEPT: actions.accept,
    AssistAction.SUBMIT: actions.submit,
    AssistAction.COMPLETE: actions.complete,
    AssistAction.WITHDRAW: actions.withdraw,
}
OPEN = [AssistState.OPEN, AssistState.AUTHORISED, AssistState.ACCEPTED, AssistState.SUBMITTED]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _hall(request: HttpRequest, user: User) -> Hall:
    if user.has_role(*STAFF) and user.unit_id:
        hall = Hall.objects.select_related("unit").filter(unit_id=user.unit_id).first()
        if hall is not None:
            return hall
    if user.has_role(Role.LEADER):
        code = request.GET.get("hall") or request.POST.get("hall") or ""
        halls = Hall.objects.select_related("unit")
        hall = halls.filter(code=code).first() or halls.order_by("code").first()
        if hall is None:
            raise Http404
        return hall
    raise PermissionDenied


def _todays_ticket(hall: Hall, number: str) -> Ticket | Literal[False] | None:
    """The hall's ticket of today under ``number``; ``None`` when none was typed, ``False`` when
    there is no such ticket (as the 办不成事 form resolves it)."""
    number = (number or "").strip().upper()
    if not number:
        return None
    day = timezone.localtime(clock.now()).date()
    return Ticket.objects.filter(hall=hall, day=day, number=number).first() or False


@dataclass
class CaseLine:
    case: Case
    trips: int
    declared: int
    received: int
    asked: int


@dataclass
class Visit:
    """What a record tied to a ticket shows: the wait and the visit's cases."""

    waited: int | None
    cases: list[CaseLine]


def _visits(records: list[Assistance]) -> dict[int, Visit]:
    """For each record with a ticket or case numbers: the ticket's wait (whole minutes, as the
    hall's pages give it) and its cases, with their trips and the materials received of their
    application. The cases are read again: those opened at the window after the record began
    count too."""
    tied = [r for r in records if r.ticket_id or r.case_numbers]
    waits = cases_trips.waiting_minutes([r.ticket_id for r in tied if r.ticket_id])
    numbers = {
        r.pk: set(r.case_numbers) | set(visits.case_numbers(r.ticket) if r.ticket else [])
        for r in tied
    }
    cases = {
        c.number: c
        for c in Case.objects.filter(
            number__in=set().union(*numbers.values()) if numbers else []
        ).select_related("matter")
    }
    submission_ids = {c.submission_id for c in cases.values()}
    asked: dict[int, int] = {}
    received: dict[int, int] = {}
    for submission_id, state in ReceiptLine.objects.filter(
        submission_id__in=submission_ids
    ).values_list("submission_id", "state"):
        asked[submission_id] = asked.get(submission_id, 0) + 1
        if state == LineState.RECEIVED:
            received[submission_id] = received.get(submission_id, 0) + 1
    events = cases_trips.events_of(c.pk for c in cases.values())
    found: dict[int, Visit] = {}
    for record in tied:
        lines = []
        for number in sorted(numbers[record.pk]):
            case = cases.get(number)
            if case is None:
                continue
            visits_ = cases_trips.visits_from(events[case.pk])
            lines.append(
                CaseLine(
                    case,
                    len(visits_),
                    case.declared_visits,
                    received.get(case.submission_id, 0),
                    asked.get(case.submission_id, 0),
                )
            )
        minutes = waits.get(record.ticket_id) if record.ticket_id else None
        found[record.pk] = Visit(None if minutes is None else round(minutes), lines)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def assistance_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    hall = _hall(request, user)
    kind = request.POST.get("kind", "")
    help_form = HelpForm(hall, request.POST if kind == "help" else None, prefix="help")
    proxy_form = ProxyForm(hall, request.POST if kind == "proxy" else None, prefix="proxy")
    status = 200
    if request.method == "POST":
        status = 422
        form = help_form if kind == "help" else proxy_form
        if form.is_valid():
            data = dict(form.cleaned_data)
            ticket = _todays_ticket(hall, data.pop("ticket_number", ""))
            if ticket is False:
                form.add_error("ticket_number", _("No such ticket here today."))
        if form.is_valid():
            try:
                # Back and send again (or a double click) must not start a second record: the
                # form's one-time token is claimed with the record, in its transaction.
                with transaction.atomic():
                    fresh = once.claim(once.posted_token(request.POST))
                    if fresh:
                        start = actions.start_help if kind == "help" else actions.start_proxy
                        start(hall, user, ticket=ticket or None, **data)
            except HallError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if not fresh:
                    messages.info(request, _("This form was already sent: nothing was added."))
                elif kind == "help":
                    messages.success(request, _("Assisted handling started."))
                else:
                    messages.success(request, _("Proxy handling recorded."))
                return redirect(f"{reverse('assistance:list')}?hall={hall.code}")
    records = (
        Assistance.objects.filter(hall=hall)
        .select_related("helper", "ticket")
        .prefetch_related("matters")
    )
    open_records = [(r, next_steps(r, user)) for r in records.filter(state__in=OPEN)]
    done = list(records.exclude(state__in=OPEN)[:30])
    shown = [r for r, _steps in open_records] + done
    tied = _visits(shown)
    for record in shown:
        record.visit = tied.get(record.pk)  # type: ignore[attr-defined]
    context = {
        "hall": hall,
        "halls": Hall.objects.select_related("unit").order_by("code")
        if user.has_role(Role.LEADER)
        else [],
        "help_form": help_form,
        "proxy_form": proxy_form,
        "open": open_records,
        "done": done,
        "case_links": user.has_role(*STAFF) and user.unit_id == hall.unit_id,
        "step_form": StepForm(),
        "submission": once.posted_token(request.POST) or once.new_token(),
    }
    return render(request, "assistance/list.html", context, status=status)


@login_required
@require_POST
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in STEPS:
        raise Http404
    user = _user(request)
    # Leaders help in every hall, so a leader who is also hall staff is not held to one.
    records = own_hall_only(
        Assistance.objects.select_related("hall__unit"), user, also_sees_all=[Role.LEADER]
    )
    record = get_object_or_404(records, pk=pk)
    form = StepForm(request.POST)
    back = f"{reverse('assistance:list')}?hall={record.hall.code}"
    if not form.is_valid():
        # A note over its length is refused with the reason, not dropped from the record.
        context = {"message": form_problem(form), "back": back}
        return render(request, "ratings/refused.html", context, status=422)
    data = form.cleaned_data
    kwargs: dict[str, str] = {}
    if action in (AssistAction.END, AssistAction.COMPLETE):
        kwargs["outcome"] = data.get("outcome") or ""
    if action != AssistAction.ACCEPT:
        kwargs["note"] = data.get("note") or ""
    try:
        STEPS[action](record, user, **kwargs)
    except HallError as exc:
        if isinstance(exc, NotAllowed):
            raise PermissionDenied from None
        context = {"message": exc.message, "back": back}
        return render(request, "ratings/refused.html", context, status=422)
    # As every other hall action says what it did (the row just moved, or left the list).
    messages.success(
        request,
        _("%(kind)s: %(state)s.")
        % {"kind": record.get_kind_display(), "state": record.get_state_display()},
    )
    return redirect(f"{reverse('assistance:list')}?hall={record.hall.code}")
