"""The case pages: the hall's case list, a case (its application: checklist and receipt,
decisions, documents, timeline), the printable A4 documents. Each button posts one action; the
page comes back with the outcome (refusals as messages, nothing changed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline import clock
from hotline.assessment import hall_cases, periods
from hotline.cases import actions, documents, orders_consent, trips
from hotline.cases.models import (
    OPEN_STATES,
    Case,
    CaseAction,
    CaseEvent,
    CaseState,
    Delivery,
    LineState,
    Outcome,
    ReceiptLine,
    Submission,
)
from hotline.cases.rules import STAFF, CaseError, allowed_actions
from hotline.hall.forms import row_id
from hotline.hall.models import Hall
from hotline.hall.rules import InvalidInput, own_hall_only
from hotline.matters.models import Bundle, MaterialForm
from hotline.org.models import Role, User
from hotline.web.htmx import from_htmx


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _case(request: HttpRequest, number: str) -> tuple[Case, User]:
    """The case, looked up among the user's own hall's only: another hall's number answers 404
    like a number that does not exist, so a guesser cannot learn which numbers are real. Who is
    not hall staff at all is refused before any lookup (403 says nothing about the number)."""
    user = _user(request)
    if not user.has_role(*STAFF) or not user.unit_id:
        raise PermissionDenied
    cases = Case.objects.select_related("hall__unit", "matter", "submission__bundle")
    case = get_object_or_404(own_hall_only(cases, user), number=number)
    return case, user


#: Cases a page of the hall's case list shows.
CASES_PAGE_SIZE = 50


def _case_search(cases: Any, hall: Hall, query: str) -> Any:
    """The cases matching ``query``: a case number (or part of one), the applicant's name (or
    part of it), or one of today's ticket numbers at the hall (the ticket the case was opened on
    or a later visit of its holder)."""
    today = timezone.localtime(clock.now()).date()
    ticket = query.upper()
    visits = CaseEvent.objects.filter(
        action=CaseAction.VISIT, ticket__hall=hall, ticket__day=today, ticket__number=ticket
    ).values("case_id")
    return cases.filter(
        Q(number__icontains=query)
        | Q(submission__applicant_name__icontains=query)
        | Q(ticket__hall=hall, ticket__day=today, ticket__number=ticket)
        | Q(pk__in=visits)
    )


#: How long the manager's case figures are kept before they are counted again: counting them
#: took 0.28-0.42 s of CPU at the demo's busiest hall (review, session 25, L8), on every page of
#: the list. A month's rates move little in five minutes; a new day counts afresh.
FIGURES_CACHE_SECONDS = 300


def _hall_figures(hall: Hall) -> list[tuple[str, hall_cases.CaseFigures]]:
    """The hall's case figures for this month (so far) and last month, as the leader's
    dashboard counts them (:mod:`hotline.assessment.hall_cases`): its manager's own view. Kept
    for :data:`FIGURES_CACHE_SECONDS` per hall and day (each web process's own memory)."""
    today = timezone.localtime(clock.now()).date()
    key = f"cases:hall-figures:{hall.pk}:{today.isoformat()}"
    rows: list[tuple[str, hall_cases.CaseFigures]] | None = cache.get(key)
    if rows is None:
        rows = _count_hall_figures(hall, today)
        cache.set(key, rows, FIGURES_CACHE_SECONDS)
    return rows


def _count_hall_figures(hall: Hall, today: dt.date) -> list[tuple[str, hall_cases.CaseFigures]]:
    rows = []
    for month in reversed(periods.months_back(today, 2)):
        start, end = periods.month(month)
        found = hall_cases.figures(start, end, hall_ids={hall.pk})
        rows.append((month, found.get(hall.code) or hall_cases.CaseFigures(hall.code, str(hall))))
    return rows


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases of the user's hall, a page at a time with their total: open ones first, those
    nearest their promise on top; or those a search finds among all the hall's cases (newest
    first)."""
    user = _user(request)
    hall = Hall.objects.filter(unit_id=user.unit_id).first() if user.unit_id else None
    if hall is None or not user.has_role(*STAFF):
        raise PermissionDenied
    show = request.GET.get("show", "open")
    query = request.GET.get("q", "").strip()[:60]
    cases = Case.objects.filter(hall=hall).select_related("matter", "submission")
    if query:
        cases = _case_search(cases, hall, query).order_by("-opened_at", "-pk")
    elif show == "open":
        cases = cases.filter(state__in=OPEN_STATES).order_by("due_at", "pk")
    elif show in CaseState.values:
        cases = cases.filter(state=show).order_by("-opened_at", "-pk")
    else:
        cases = cases.order_by("-opened_at", "-pk")
    page = Paginator(cases, CASES_PAGE_SIZE).get_page(request.GET.get("page"))
    params = {"q": query} if query else {"show": show}
    context = {
        "hall": hall,
        # Above the first page of the list only: paging and searching look for a case, and
        # need not have the hall's figures counted or shown again.
        "figures": (
            _hall_figures(hall)
            if user.has_role(Role.HALL_MANAGER) and not query and page.number == 1
            else []
        ),
        "labels": hall_cases.LABELS,
        "cases": page.object_list,
        "page": page,
        "total": page.paginator.count,
        "query": query,
        "params": urlencode(params),
        "show": show,
        "states": CaseState.choices,
        "now": clock.now(),
    }
    return render(request, "cases/list.html", context)


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    case, user = _case(request, number)
    return render(request, "cases/detail.html", _detail(case, user))


@login_required
@require_POST
def citizen_orders(request: HttpRequest, number: str) -> HttpResponse:
    """The citizen's 12345 orders by their mobile number, with their consent: the clerk types the
    number (checked against the applicant's keyed hash, sent in the body so it stays out of logs
    and history) and texts a code to it ("send"); the citizen reads the code from their phone and
    the clerk types it ("show"), which lists the orders for a while without another code
    (:mod:`hotline.cases.orders_consent`). The section alone for HTMX, else the whole page."""
    case, user = _case(request, number)
    phone = request.POST.get("phone", "")
    now = clock.now()
    section: dict[str, Any] = {"orders_phone": phone}
    try:
        if request.POST.get("step") == "send":
            sending, refusal = orders_consent.send(case, user, phone, now=now)
            section.update(orders_sending=sending, orders_problem=refusal)
        else:
            if request.POST.get("code", "").strip():
                sending = orders_consent.read(request.POST.get("sending", ""), case, user)
                section["orders_sending"] = sending
                orders_consent.confirm(
                    case, user, request.POST["sending"], request.POST["code"], now=now
                )
            found = orders_consent.listing(case, user, phone, request=request, now=now)
            section.update(citizen_orders=found, orders_by_phone=True, orders_sending=None)
    except (InvalidInput, CaseError) as exc:
        section["orders_problem"] = exc.message
    if section.get("orders_sending") is not None:
        section["orders_signed"] = section["orders_sending"].signed()
    if "citizen_orders" not in section:
        section["citizen_orders"] = orders_consent.visit_orders(case, user, now)
    section["orders_consent_until"] = orders_consent.consent_until(case, user, now)
    if from_htmx(request):
        return render(request, "cases/_citizen_orders.html", {"case": case, **section})
    return render(request, "cases/detail.html", {**_detail(case, user), **section})


def _whole_minutes(minutes: float) -> int:
    """Minutes waited as the hall's pages give them: whole, 0 meaning under a minute."""
    return 0 if minutes < 1 else int(minutes + 0.5)


def _detail(case: Case, user: User) -> dict[str, Any]:
    submission = case.submission
    cases = list(submission.cases.select_related("matter", "hall").order_by("pk"))
    now = clock.now()
    rows = [
        {
            "case": c,
            "allowed": allowed_actions(c, user),
            "due": documents.live_due(c, now),
            "trips": trips.case_trips(c),
            "outstanding": actions.outstanding(c) if c.state == CaseState.OPENED else [],
        }
        for c in cases
    ]
    lines = list(submission.lines.all())
    names = {c.matter.code: c.matter.name for c in cases}
    fresh = len(cases) == 1 and cases[0].state == CaseState.OPENED and not submission.bundle_id
    bundles = (
        list(Bundle.objects.filter(active=True, matters=case.matter).order_by("code"))
        if fresh
        else []
    )
    context: dict[str, Any] = {
        "case": case,
        "submission": submission,
        "rows": rows,
        "lines": lines,
        # A bundle's line says which of its matters ask for it, by name.
        "line_rows": [
            (line, _(", ").join(names.get(code, code) for code in line.matters.split(",")))
            for line in lines
        ],
        # 容缺 is for a secondary item still missing, while the case is being checked.
        # The days a promise may name, for the date field's min and max.
        "promise_range": actions.promise_range(timezone.localdate(now)),
        "promisable": [
            line for line in lines if line.state == LineState.MISSING and not line.required
        ]
        if any(c.state == CaseState.OPENED for c in cases)
        else [],
        "takes_materials": any(c.state in OPEN_STATES for c in cases),
        "bundles": bundles,
        "forms": MaterialForm.choices,
        "line_states": [
            (LineState.RECEIVED, LineState.RECEIVED.label),
            (LineState.MISSING, LineState.MISSING.label),
            (LineState.WAIVED, LineState.WAIVED.label),
        ],
        "outcomes": Outcome.choices,
        "deliveries": Delivery.choices,
        "causes": [(c, c.label) for c in actions.RETURN_CAUSES],
        "docs": documents.available(submission),
        # A bundle's trips and waiting count once for the whole application.
        "bundle_trips": trips.submission_trips(cases) if submission.bundle_id else None,
        # In whole minutes, 0 for under one, as the queue's waits read ("0.0 minutes" before).
        "bundle_waiting": _whole_minutes(trips.submission_waiting(cases))
        if submission.bundle_id
        else None,
        "events": documents.timeline(cases),
        "today": clock.local_now().date(),
        # The citizen's 12345 orders from this case's visits (差评 rectifications, 办不成事);
        # from their other visits and by their number with their consent (citizen_orders).
        "citizen_orders": orders_consent.visit_orders(case, user, now),
        "orders_consent_until": orders_consent.consent_until(case, user, now),
    }
    return context


def _int(value: str | None, field: str, default: int = 0) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise actions.InvalidInput(_("Enter a whole number."), field=field) from None


def _date(value: str | None, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise actions.InvalidInput(_("Enter a date."), field=field) from None


def _target(submission: Submission, request: HttpRequest) -> Case:
    return get_object_or_404(
        Case.objects.select_related("hall", "matter", "submission"),
        submission=submission,
        pk=row_id(request.POST.get("case")),
    )


def _line(submission: Submission, request: HttpRequest) -> ReceiptLine:
    return get_object_or_404(
        ReceiptLine.objects.select_related("submission"),
        submission=submission,
        pk=row_id(request.POST.get("line")),
    )


def _receive(s: Submission, u: User, r: HttpRequest) -> str:
    entries = {}
    for line in s.lines.exclude(state=LineState.PROMISED):
        prefix = f"line-{line.pk}-"
        if prefix + "state" not in r.POST:
            continue
        entries[line.pk] = actions.Received(
            state=r.POST.get(prefix + "state", ""),
            form=r.POST.get(prefix + "form", ""),
            count=_int(r.POST.get(prefix + "count"), prefix + "count"),
            note=r.POST.get(prefix + "note", ""),
        )
    completed = actions.receive(s, u, entries)
    if completed:
        return _("Materials complete: the promised time runs again for %(numbers)s.") % {
            "numbers": _(", ").join(completed)
        }
    return _("Receipt saved.")


def _bundle(s: Submission, u: User, r: HttpRequest) -> str:
    bundle = get_object_or_404(Bundle, pk=row_id(r.POST.get("bundle")), active=True)
    cases = actions.serve_as_bundle(s, bundle, u)
    return _("Served as %(bundle)s: %(n)d linked cases, one checklist.") % {
        "bundle": bundle.name,
        "n": len(cases),
    }


def _ran(_result: object) -> None:
    """The action's own result is not the page's message."""


Handler = Callable[[Submission, User, HttpRequest], "str | None"]

ACTIONS: dict[str, tuple[Handler, Callable[[], str]]] = {
    "receive": (_receive, lambda: ""),
    "promise": (
        lambda s, u, r: actions.promise(
            _line(s, r),
            u,
            text=r.POST.get("promise_text", ""),
            due=_date(r.POST.get("promise_due"), "promise_due"),
        ),
        lambda: _("Accepted under the applicant's written promise."),
    ),
    "fulfil_promise": (
        lambda s, u, r: actions.fulfil_promise(
            _line(s, r),
            u,
            form=r.POST.get("form", ""),
            count=_int(r.POST.get("count"), "count", 1),
        ),
        lambda: _("Promised material received."),
    ),
    "request_correction": (
        lambda s, u, r: _ran(actions.request_correction(s, u, note=r.POST.get("note", ""))),
        lambda: _("Correction notice issued: print it for the applicant."),
    ),
    "accept": (lambda s, u, r: actions.accept(_target(s, r), u), lambda: _("Accepted.")),
    "refuse": (
        lambda s, u, r: actions.refuse(_target(s, r), u, reason=r.POST.get("reason", "")),
        lambda: _("Not accepted: print the notice for the applicant."),
    ),
    "start_special": (
        lambda s, u, r: actions.start_special(
            _target(s, r),
            u,
            reason=r.POST.get("reason", ""),
            days=_int(r.POST.get("days"), "days"),
        ),
        lambda: _("Special procedure started: the clock is stopped."),
    ),
    "end_special": (
        lambda s, u, r: actions.end_special(_target(s, r), u),
        lambda: _("Special procedure ended: the clock runs again."),
    ),
    "conclude": (
        lambda s, u, r: actions.conclude(
            _target(s, r), u, outcome=r.POST.get("outcome", ""), reason=r.POST.get("reason", "")
        ),
        lambda: _("Concluded."),
    ),
    "deliver": (
        lambda s, u, r: actions.deliver(_target(s, r), u, method=r.POST.get("method", "")),
        lambda: _("Delivered."),
    ),
    "ask_return": (
        lambda s, u, r: actions.ask_return(
            _target(s, r), u, cause=r.POST.get("cause", ""), note=r.POST.get("note", "")
        ),
        lambda: _("Recorded why the applicant must come again."),
    ),
    "bundle": (_bundle, lambda: ""),
}


@login_required
@require_POST
def act(request: HttpRequest, number: str) -> HttpResponse:
    case, user = _case(request, number)
    entry = ACTIONS.get(request.POST.get("action", ""))
    if entry is None:
        messages.error(request, _("Unknown action."))
        return redirect("cases:detail", number=number)
    handler, done = entry
    try:
        messages.success(request, handler(case.submission, user, request) or done())
    except actions.CaseError as exc:
        messages.error(request, exc.message)
        if request.POST.get("action") == "promise":
            # The page again with the promise as typed, for the clerk to correct the date.
            kept = {
                "line": request.POST.get("line", ""),
                "text": request.POST.get("promise_text", "")[:300],
                "due": request.POST.get("promise_due", "")[:10],
            }
            return render(request, "cases/detail.html", {**_detail(case, user), "kept": kept})
    return redirect("cases:detail", number=number)


@login_required
def document(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """A printable A4 document of the case's application (print CSS, no script)."""
    case = _case(request, number)[0]
    if kind not in documents.available(case.submission):
        raise Http404
    context = documents.context(case.submission, kind, clock.now())
    return render(request, f"cases/print_{kind}.html", context)
