"""The clerk's pre-review pages: the hall's queue, one pre-review with its materials and the
three decisions, its files. Only the clerks and manager of the hall it was filed with see it;
for anyone else it does not exist (404)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline import clock
from hotline.hall.forms import row_id
from hotline.hall.models import Hall
from hotline.org.models import User
from hotline.prereview import actions, rules
from hotline.prereview.figures import PreReviewFigures, prereview_figures
from hotline.prereview.models import WAITING, PreReview, PreReviewAction, PreReviewState
from hotline.prereview.views.shared import files_by_material
from hotline.security import public_url

#: The queue's tabs: what waits for a decision, what waits for the citizen, what is done.
TABS = {
    "waiting": WAITING,
    "more_needed": (PreReviewState.MORE_NEEDED,),
    "done": (PreReviewState.PASSED, PreReviewState.REJECTED, PreReviewState.WITHDRAWN),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _hall(user: User) -> Hall:
    hall = Hall.objects.filter(unit_id=user.unit_id).first() if user.unit_id else None
    if hall is None or not user.has_role(*rules.STAFF):
        raise PermissionDenied
    return hall


def _review(request: HttpRequest, number: str) -> tuple[PreReview, User]:
    user = _user(request)
    review = (
        PreReview.objects.select_related("hall__unit", "matter", "case", "ticket", "decided_by")
        .filter(number=number)
        .first()
    )
    if review is None or not rules.may_review(user, review):
        raise Http404(_("No such pre-review."))
    return review, user


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The hall's pre-reviews: those waiting for a decision first, oldest on top."""
    user = _user(request)
    hall = _hall(user)
    tab = request.GET.get("show", "waiting")
    if tab not in TABS:
        tab = "waiting"
    found = PreReview.objects.filter(hall=hall, state__in=TABS[tab]).select_related("matter")
    found = found.order_by("submitted_at", "pk") if tab == "waiting" else found.order_by("-pk")
    counts = {
        name: PreReview.objects.filter(hall=hall, state__in=states).count()
        for name, states in TABS.items()
    }
    context = {
        "hall": hall,
        "reviews": list(found[:200]),
        "tab": tab,
        "counts": counts,
        "periods": _periods(hall),
    }
    return render(request, "prereview/queue.html", context)


def _periods(hall: Hall) -> list[PreReviewFigures]:
    """This month so far and the whole of last month: use, the links texted from 12345 and what
    was filed from them, and whether a passed pre-review cut trips and time
    (:mod:`hotline.prereview.figures`)."""
    today = clock.today()
    first = today.replace(day=1)
    last_month_end = first - dt.timedelta(days=1)
    return [
        prereview_figures(hall, first, today),
        prereview_figures(hall, last_month_end.replace(day=1), last_month_end),
    ]


def _page(
    request: HttpRequest,
    review: PreReview,
    user: User,
    *,
    posted: dict[str, object] | None = None,
    status: int = 200,
) -> HttpResponse:
    materials = list(review.matter.materials.all())
    review.refresh_from_db()
    return render(
        request,
        "prereview/detail.html",
        {
            "review": review,
            "rows": files_by_material(review, materials),
            "materials": materials,
            "allowed": rules.allowed(review, rules.Actor.CLERK, user),
            "events": review.events.select_related("actor").order_by("seq"),
            # A refused decision comes back with what was typed and ticked.
            "posted": posted or {},
            "PASS": PreReviewAction.PASS,
            "ASK_MORE": PreReviewAction.ASK_MORE,
            "REJECT": PreReviewAction.REJECT,
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    review, user = _review(request, number)
    return _page(request, review, user)


@login_required
@require_POST
def decide(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One decision; a refusal comes back on the page with what was typed, nothing changed."""
    review, user = _review(request, number)
    site = public_url.absolute(request, "/")
    note = request.POST.get("note", "")
    # row_id: "²" passes isdigit() and fails in int() (a 500; attack, session 30).
    missing = [m for m in map(row_id, request.POST.getlist("missing")) if m is not None]
    try:
        if action == PreReviewAction.PASS:
            actions.pass_review(review, user, note=note, site=site)
            messages.success(request, _("Passed. The citizen is told by text message."))
        elif action == PreReviewAction.ASK_MORE:
            actions.ask_more(review, user, missing=missing, note=note, site=site)
            messages.success(request, _("The citizen is asked by text message for the rest."))
        elif action == PreReviewAction.REJECT:
            actions.reject(review, user, reason=note, site=site)
            messages.success(request, _("Rejected. The citizen is told why by text message."))
        else:
            raise Http404(_("No such decision."))
    except actions.PreReviewError as exc:
        messages.error(request, exc.message)
        posted: dict[str, object] = {"action": action, "note": note, "missing": missing}
        return _page(request, review, user, posted=posted, status=400)
    return redirect("prereview:detail", number=review.number)


@login_required
def download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """A material's file: private, only to the hall's own staff."""
    review, _owner = _review(request, number)
    found = review.files.filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such file."))
    return FileResponse(found.file.open("rb"), as_attachment=False, filename=found.name)
